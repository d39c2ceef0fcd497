package com.leadflow.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Successful logins remembered for {@code leadflow.security.credentials-cache-ttl}: per user, a keyed
 * hash of the password that passed (never the password; the key is random per process) and the
 * user's authorities. A request with the same user and password within that time is not checked
 * against the identity service again; any other password, or a failed check, forgets the user.
 * Time is the JVM's monotonic clock, not the engine clock tests move.
 */
@Component
class CredentialsCache {

	private record Entry(byte[] passwordMac, List<SimpleGrantedAuthority> authorities, long expiresAtNanos) {
	}

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final long ttlNanos;

	private final int maxSize;

	private final SecretKeySpec key;

	CredentialsCache(SecurityProperties properties) {
		this.ttlNanos = properties.credentialsCacheTtl().toNanos();
		this.maxSize = properties.credentialsCacheSize();
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, "HmacSHA256");
	}

	boolean enabled() {
		return ttlNanos > 0 && maxSize > 0;
	}

	/** The authorities of a login remembered with exactly this password, if it has not expired. */
	Optional<List<SimpleGrantedAuthority>> find(String user, String password) {
		if (!enabled()) {
			return Optional.empty();
		}
		Entry entry = entries.get(user);
		if (entry == null) {
			return Optional.empty();
		}
		if (System.nanoTime() - entry.expiresAtNanos() >= 0 || !MessageDigest.isEqual(entry.passwordMac(), mac(user, password))) {
			entries.remove(user, entry);
			return Optional.empty();
		}
		return Optional.of(entry.authorities());
	}

	void remember(String user, String password, List<SimpleGrantedAuthority> authorities) {
		if (!enabled()) {
			return;
		}
		if (entries.size() >= maxSize) {
			entries.clear();
		}
		entries.put(user, new Entry(mac(user, password), List.copyOf(authorities), System.nanoTime() + ttlNanos));
	}

	void forget(String user) {
		entries.remove(user);
	}

	private byte[] mac(String user, String password) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			mac.update(user.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 0);
			return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
