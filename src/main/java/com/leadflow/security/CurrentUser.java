package com.leadflow.security;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The authenticated caller: id and groups. */
public record CurrentUser(String id, Set<String> groups) {

	public static CurrentUser of(Authentication authentication) {
		Set<String> groups = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter(a -> a.startsWith("GROUP_"))
			.map(a -> a.substring("GROUP_".length()))
			.collect(Collectors.toUnmodifiableSet());
		return new CurrentUser(authentication.getName(), groups);
	}

	public boolean isManager() {
		return groups.contains(Groups.MANAGERS);
	}

	public boolean isIn(String group) {
		return groups.contains(group);
	}

}
