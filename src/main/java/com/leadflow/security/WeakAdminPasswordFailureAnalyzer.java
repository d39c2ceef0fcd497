package com.leadflow.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly why the application did not start and what to do ({@link AdminPasswordCheck}). */
class WeakAdminPasswordFailureAnalyzer extends AbstractFailureAnalyzer<WeakAdminPasswordException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WeakAdminPasswordException cause) {
		return new FailureAnalysis(
				"Leadflow refuses to start outside the demo profile: the first admin user '" + cause.userId()
						+ "' (camunda.bpm.admin-user.id) would get a well-known password, because " + cause.reason() + ".",
				"Set camunda.bpm.admin-user.password (environment variable CAMUNDA_BPM_ADMIN_USER_PASSWORD) to a strong "
						+ "secret of at least " + AdminPasswordCheck.MIN_LENGTH + " characters that is not a common password, "
						+ "e.g. the output of 'openssl rand -base64 24'. For a demo with the known demo users, add the demo "
						+ "profile explicitly (e.g. --spring.profiles.active=mysql,demo).",
				cause);
	}

}
