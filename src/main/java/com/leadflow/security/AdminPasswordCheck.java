package com.leadflow.security;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Outside the {@code demo} profile (e.g. {@code mysql}) the application refuses to start when the
 * first admin user it is told to create ({@code camunda.bpm.admin-user.id} / {@code .password};
 * Camunda takes the id as password when none is set) has a well-known or short password. Checked
 * before any bean is created, so the process engine never stores such a user.
 * {@link WeakAdminPasswordFailureAnalyzer} explains the refusal. {@code mysql,demo} (demo named
 * explicitly) still starts: the demo users have known passwords anyway.
 */
@Component
class AdminPasswordCheck implements BeanFactoryPostProcessor, EnvironmentAware {

	private static final Logger log = LoggerFactory.getLogger(AdminPasswordCheck.class);

	static final int MIN_LENGTH = 12;

	/** Passwords (lower case, without digits and symbols at the end) nobody may use for the admin. */
	static final Set<String> WELL_KNOWN = Set.of("admin", "administrator", "demo", "password", "passwort", "camunda",
			"changeme", "changeit", "secret", "letmein", "welcome", "qwerty", "qwertz", "abc", "test", "root", "toor",
			"default", "leadflow", "manager", "marketing", "rep", "sales", "user", "guest", "iloveyou", "monkey",
			"dragon", "master", "trustno", "passw", "pass");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		check(environment);
	}

	static void check(Environment environment) {
		if (environment.acceptsProfiles(Profiles.of("demo"))) {
			return;
		}
		String id = environment.getProperty("camunda.bpm.admin-user.id");
		if (!StringUtils.hasText(id)) {
			log.warn("No first admin user configured (camunda.bpm.admin-user.id / .password): unless the database already "
					+ "has one, nobody can use Cockpit, Tasklist, Admin or /engine-rest (Camunda Admin's web set-up of a first "
					+ "administrator is refused); set them and restart");
			return;
		}
		String password = environment.getProperty("camunda.bpm.admin-user.password", id);
		weakness(id, password).ifPresent(reason -> {
			throw new WeakAdminPasswordException(id, reason);
		});
	}

	/** Why {@code password} is not good enough for the admin user {@code id}; empty when it is. */
	static Optional<String> weakness(String id, String password) {
		if (password == null || password.length() < MIN_LENGTH) {
			return Optional.of("it is shorter than " + MIN_LENGTH + " characters");
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (lower.equals(id.toLowerCase(Locale.ROOT))) {
			return Optional.of("it is the user id (Camunda's default when no password is set)");
		}
		// "Password123!", "admin_admin_admin", "changeme2024": well-known words (or the id), repeated, with digits and symbols.
		String letters = lower.replaceAll("[^\\p{L}]", "");
		if (letters.isEmpty()) {
			return Optional.of("it has no letters");
		}
		Set<String> words = new HashSet<>(WELL_KNOWN);
		String idLetters = id.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}]", "");
		if (!idLetters.isEmpty()) {
			words.add(idLetters);
		}
		String rest = letters;
		for (String word : words.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
			rest = rest.replace(word, "");
		}
		if (rest.isEmpty()) {
			return Optional.of("it is made of well-known words (or the user id) with digits or symbols");
		}
		if (lower.chars().distinct().count() <= 3) {
			return Optional.of("it repeats the same few characters");
		}
		if ("0123456789012345678901234567890".contains(lower) || "abcdefghijklmnopqrstuvwxyz".contains(lower)
				|| "qwertyuiopasdfghjklzxcvbnm".contains(lower)) {
			return Optional.of("it is a keyboard or number sequence");
		}
		return Optional.empty();
	}

}
