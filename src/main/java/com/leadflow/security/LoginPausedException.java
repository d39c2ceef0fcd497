package com.leadflow.security;

import org.springframework.security.authentication.BadCredentialsException;

/**
 * A login the identity service refused while the user's logins are paused after failed attempts
 * (or locked): still bad credentials to the API (401), but the login form can say how long to wait.
 */
class LoginPausedException extends BadCredentialsException {

	private final transient UserDirectory.LoginLock lock;

	LoginPausedException(UserDirectory.LoginLock lock) {
		super("Bad credentials");
		this.lock = lock;
	}

	UserDirectory.LoginLock lock() {
		return lock;
	}

}
