package com.leadflow.security;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The demo profile's users of API.md, each with its name as password, in the identity service
 * (so they log in to Leadflow and to Cockpit/Tasklist/Admin alike). Never in other profiles.
 */
@Component
@Profile("demo")
class DemoUsers {

	private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);

	static final Map<String, String> GROUP_NAMES = Map.of(Groups.MARKETING, "Marketing", Groups.REPS, "Inside sales reps",
			Groups.SALES, "Field sales", Groups.MANAGERS, "Managers", Groups.ADMINS, "Camunda administrators");

	record DemoUser(String id, String firstName, String lastName, List<String> groups) {
	}

	static final List<DemoUser> USERS = List.of(
			new DemoUser("admin", "Admin", "Leadflow", List.of(Groups.ADMINS, Groups.MANAGERS)),
			new DemoUser("manager", "Mariko", "Manager", List.of(Groups.MANAGERS)),
			new DemoUser("marketing", "Makoto", "Marketing", List.of(Groups.MARKETING)),
			new DemoUser("rep1", "Rei", "Ichikawa", List.of(Groups.REPS)),
			new DemoUser("rep2", "Ren", "Nishida", List.of(Groups.REPS)),
			new DemoUser("sales1", "Sora", "Sato", List.of(Groups.SALES)));

	private final IdentityService identity;

	DemoUsers(IdentityService identity) {
		this.identity = identity;
	}

	@EventListener(ApplicationStartedEvent.class)
	@Order(0)
	void createDemoUsers() {
		GROUP_NAMES.forEach((id, name) -> {
			if (identity.createGroupQuery().groupId(id).count() == 0) {
				Group group = identity.newGroup(id);
				group.setName(name);
				group.setType(Groups.ADMINS.equals(id) ? "SYSTEM" : "WORKFLOW");
				identity.saveGroup(group);
			}
		});
		for (DemoUser demo : USERS) {
			if (identity.createUserQuery().userId(demo.id()).count() == 0) {
				User user = identity.newUser(demo.id());
				user.setFirstName(demo.firstName());
				user.setLastName(demo.lastName());
				user.setEmail(demo.id() + "@leadflow.example");
				user.setPassword(demo.id());
				identity.saveUser(user);
				for (String group : demo.groups()) {
					identity.createMembership(demo.id(), group);
				}
				log.info("Demo user '{}' created (password '{}')", demo.id(), demo.id());
			}
		}
	}

}
