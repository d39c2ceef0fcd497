package com.leadflow.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings ({@code leadflow.security.*}).
 *
 * @param credentialsCacheTtl how long a successful login (user, password, groups) is remembered, so
 * API clients that send HTTP Basic with every request are not checked against the identity service
 * (two database reads and a password hash) every time; a changed password, a locked or removed user
 * or a changed group membership takes effect after at most this long. {@code 0} checks every request.
 * @param credentialsCacheSize at most this many users are remembered (the cache is emptied beyond it)
 */
@ConfigurationProperties("leadflow.security")
public record SecurityProperties(@DefaultValue("60s") Duration credentialsCacheTtl,
		@DefaultValue("10000") int credentialsCacheSize) {

}
