package com.leadflow.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a test's application at the suite's MySQL-protocol server (embedded MariaDB 11.4, or
 * the server named by LEADFLOW_TEST_MYSQL_URL) with the settings of the {@code mysql} profile.
 * Use from a {@code @DynamicPropertySource} method of a test class activating profiles
 * {@code mysql, demo, test}.
 */
public final class MySqlProperties {

	private MySqlProperties() {
	}

	public static void register(DynamicPropertyRegistry registry) {
		MySqlTestDatabase db = MySqlTestDatabase.get();
		registry.add("spring.datasource.url", db::jdbcUrl);
		registry.add("spring.datasource.username", db::username);
		registry.add("spring.datasource.password", db::password);
	}

}
