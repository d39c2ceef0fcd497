package com.leadflow.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/** Users and groups as the Camunda identity service holds them, behind one small interface. */
@Component
public class UserDirectory {

	private final IdentityService identity;

	UserDirectory(IdentityService identity) {
		this.identity = identity;
	}

	public boolean checkPassword(String userId, String password) {
		return identity.checkPassword(userId, password);
	}

	public boolean exists(String userId) {
		return identity.createUserQuery().userId(userId).count() == 1;
	}

	public boolean isMember(String userId, String groupId) {
		return identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() == 1;
	}

	public Set<String> groupsOf(String userId) {
		return identity.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).collect(Collectors.toSet());
	}

	public List<String> membersOf(String groupId) {
		return identity.createUserQuery().memberOfGroup(groupId).orderByUserId().asc().list().stream().map(User::getId).toList();
	}

	/** A user's name and email address, for mail: "First Last" (or the id), email null when none is set. */
	public record Contact(String id, String name, String email) {
	}

	public Optional<Contact> contact(String userId) {
		if (userId == null) {
			return Optional.empty();
		}
		return Optional.ofNullable(identity.createUserQuery().userId(userId).singleResult()).map(UserDirectory::contact);
	}

	/** The members of a group with their email addresses (members without one are left out). */
	public List<Contact> contactsOf(String groupId) {
		return identity.createUserQuery()
			.memberOfGroup(groupId)
			.orderByUserId()
			.asc()
			.list()
			.stream()
			.map(UserDirectory::contact)
			.filter(c -> c.email() != null && !c.email().isBlank())
			.toList();
	}

	private static Contact contact(User user) {
		String name = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
				+ (user.getLastName() == null ? "" : user.getLastName())).strip();
		return new Contact(user.getId(), name.isEmpty() ? user.getId() : name, user.getEmail());
	}

}
