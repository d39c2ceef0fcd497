package com.leadflow.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.leadflow.common.Databases;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.db.DbIdentityServiceProvider;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Users and groups as the Camunda identity service holds them, behind one small interface. */
@Component
public class UserDirectory {

	private final IdentityService identity;

	private final JdbcClient jdbc;

	/** The member-id query on the engine's identity tables; null when another identity provider holds the users. */
	private final String memberIdsSql;

	UserDirectory(IdentityService identity, ProcessEngine engine, JdbcClient jdbc) {
		this.identity = identity;
		this.jdbc = jdbc;
		this.memberIdsSql = memberIdsSql((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration());
	}

	private static String memberIdsSql(ProcessEngineConfigurationImpl configuration) {
		SessionFactory provider = configuration.getIdentityProviderSessionFactory();
		if (provider == null || provider.getSessionType() != DbIdentityServiceProvider.class) {
			return null;
		}
		return "SELECT U.ID_ FROM " + Databases.engineTable(configuration, "ACT_ID_MEMBERSHIP") + " M JOIN "
				+ Databases.engineTable(configuration, "ACT_ID_USER") + " U ON U.ID_ = M.USER_ID_"
				+ " WHERE M.GROUP_ID_ = ? ORDER BY U.ID_";
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

	/**
	 * The ids of a group's members, in id order. Owner assignment asks for the reps on every intake,
	 * and the identity service's user query loads each member's whole row (password hash and salt
	 * included) into the engine's entity cache only to hand back the ids: about 7 % of an intake's
	 * CPU with a team of 50. With the engine's own database identity provider (Leadflow's), the ids
	 * are read from its user and membership tables, in the caller's transaction, the same rows the
	 * user query joins; with any other provider (LDAP, a plugin), through the identity service.
	 */
	public List<String> membersOf(String groupId) {
		if (memberIdsSql != null) {
			return jdbc.sql(memberIdsSql).param(groupId).query(String.class).list();
		}
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
