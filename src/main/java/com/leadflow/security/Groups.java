package com.leadflow.security;

/** The identity service's groups Leadflow's roles rest on (shared with Cockpit, Tasklist and Admin). */
public final class Groups {

	private Groups() {
	}

	public static final String MARKETING = "marketing";

	public static final String REPS = "reps";

	public static final String SALES = "sales";

	public static final String MANAGERS = "managers";

	public static final String ADMINS = "camunda-admin";

	/** Spring Security authority of a group. */
	public static String authority(String group) {
		return "GROUP_" + group;
	}

}
