package com.leadflow.security;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.auth.DefaultAuthorizationProvider;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * Camunda authorizations are on ({@code camunda.bpm.authorization.enabled}) to keep Cockpit,
 * Tasklist and Admin to the {@code camunda-admin} group: the webapps let a user in only with an
 * APPLICATION authorization, and nobody but that group has one: at start it gets ALL on every
 * resource (as Camunda's admin-user set-up does). Leadflow grants none to anybody else.
 *
 * <p>With authorizations on, the engine would also write default authorizations for every user
 * task's assignee, owner and candidates (for Tasklist). Leadflow's reps work in Leadflow, never in
 * Tasklist, so those rows would only cost a write per task: this plugin leaves them out. The
 * defaults for users, groups, filters and definitions stay as Camunda makes them.
 */
@Component
class CamundaAuthorizations extends AbstractProcessEnginePlugin {

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		configuration.setResourceAuthorizationProvider(new NoTaskAuthorizations());
	}

	/**
	 * Membership of camunda-admin alone does not pass the checks (queries are filtered, the webapps'
	 * login asks for an APPLICATION authorization): like Camunda's own {@code camunda.bpm.admin-user}
	 * set-up, the group gets ALL on every resource, once.
	 */
	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		AuthorizationService authorizations = engine.getAuthorizationService();
		for (Resources resource : Resources.values()) {
			if (granted(authorizations, resource)) {
				continue;
			}
			Authorization all = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
			all.setGroupId(Groups.ADMINS);
			all.setResource(resource);
			all.setResourceId(Authorization.ANY);
			all.addPermission(Permissions.ALL);
			try {
				authorizations.saveAuthorization(all);
			}
			catch (ProcessEngineException ex) {
				// Another node starting at the same time granted it first (unique per group and resource).
				if (!granted(authorizations, resource)) {
					throw ex;
				}
			}
		}
	}

	private static boolean granted(AuthorizationService authorizations, Resources resource) {
		return authorizations.createAuthorizationQuery()
			.groupIdIn(Groups.ADMINS)
			.resourceType(resource)
			.resourceId(Authorization.ANY)
			.count() > 0;
	}

	/** Camunda's defaults without the per-task authorizations. */
	static class NoTaskAuthorizations extends DefaultAuthorizationProvider {

		private static final AuthorizationEntity[] NONE = new AuthorizationEntity[0];

		@Override
		public AuthorizationEntity[] newTask(Task task) {
			return NONE;
		}

		@Override
		public AuthorizationEntity[] newTaskAssignee(Task task, String oldAssignee, String newAssignee) {
			return NONE;
		}

		@Override
		public AuthorizationEntity[] newTaskOwner(Task task, String oldOwner, String newOwner) {
			return NONE;
		}

		@Override
		public AuthorizationEntity[] newTaskUserIdentityLink(Task task, String userId, String type) {
			return NONE;
		}

		@Override
		public AuthorizationEntity[] newTaskGroupIdentityLink(Task task, String groupId, String type) {
			return NONE;
		}

		@Override
		public AuthorizationEntity[] deleteTaskUserIdentityLink(Task task, String userId, String type) {
			return NONE;
		}

		@Override
		public AuthorizationEntity[] deleteTaskGroupIdentityLink(Task task, String groupId, String type) {
			return NONE;
		}

	}

}
