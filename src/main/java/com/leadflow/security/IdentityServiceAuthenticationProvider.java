package com.leadflow.security;

import java.util.List;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.stereotype.Component;

/**
 * Checks HTTP Basic and form logins against the Camunda identity service, so Leadflow, Cockpit,
 * Tasklist and Admin share one set of users; the user's groups become authorities.
 */
@Component
class IdentityServiceAuthenticationProvider implements AuthenticationProvider {

	private final UserDirectory users;

	IdentityServiceAuthenticationProvider(UserDirectory users) {
		this.users = users;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String user = authentication.getName();
		Object credentials = authentication.getCredentials();
		if (user == null || user.isBlank() || credentials == null || !users.checkPassword(user, credentials.toString())) {
			throw new BadCredentialsException("Bad credentials");
		}
		List<SimpleGrantedAuthority> authorities = users.groupsOf(user)
			.stream()
			.map(g -> new SimpleGrantedAuthority(Groups.authority(g)))
			.toList();
		return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
