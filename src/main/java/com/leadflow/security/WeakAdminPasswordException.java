package com.leadflow.security;

/** The first admin user would get a well-known or short password outside the demo profile. */
class WeakAdminPasswordException extends IllegalStateException {

	private final String userId;

	private final String reason;

	WeakAdminPasswordException(String userId, String reason) {
		super("Refusing to start: the admin user '" + userId + "' (camunda.bpm.admin-user) would get a well-known password: "
				+ reason + ". Set camunda.bpm.admin-user.password (CAMUNDA_BPM_ADMIN_USER_PASSWORD) to a strong secret of at "
				+ "least " + AdminPasswordCheck.MIN_LENGTH + " characters, or run with the demo profile for a demo.");
		this.userId = userId;
		this.reason = reason;
	}

	String userId() {
		return userId;
	}

	String reason() {
		return reason;
	}

}
