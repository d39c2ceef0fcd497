package com.leadflow.security;

import java.util.List;

import com.leadflow.common.DatabaseOutage;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.stereotype.Component;

/**
 * Checks HTTP Basic and form logins against the Camunda identity service, so Leadflow, Cockpit,
 * Tasklist and Admin share one set of users; the user's groups become authorities. A login that
 * passed is remembered for a short time ({@link CredentialsCache}), since API clients send their
 * password with every request.
 */
@Component
class IdentityServiceAuthenticationProvider implements AuthenticationProvider {

	private final UserDirectory users;

	private final CredentialsCache cache;

	IdentityServiceAuthenticationProvider(UserDirectory users, CredentialsCache cache) {
		this.users = users;
		this.cache = cache;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String user = authentication.getName();
		Object credentials = authentication.getCredentials();
		if (user == null || user.isBlank() || credentials == null) {
			throw new BadCredentialsException("Bad credentials");
		}
		String password = credentials.toString();
		try {
			List<SimpleGrantedAuthority> authorities = cache.find(user, password).orElse(null);
			if (authorities == null) {
				if (!users.checkPassword(user, password)) {
					cache.forget(user);
					throw new BadCredentialsException("Bad credentials");
				}
				authorities = users.groupsOf(user)
					.stream()
					.map(g -> new SimpleGrantedAuthority(Groups.authority(g)))
					.toList();
				cache.remember(user, password, authorities);
			}
			return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
		}
		catch (RuntimeException ex) {
			if (ex instanceof AuthenticationException || !DatabaseOutage.isOutage(ex)) {
				throw ex;
			}
			// The identity service could not be asked: neither a wrong password (401) nor a bug (500);
			// the entry points answer 503 (API) or the "unavailable" page (login form).
			throw new InternalAuthenticationServiceException("The user directory is not reachable", ex);
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
