package com.leadflow.testsupport;

import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the application at the suite's MySQL-protocol server (embedded MariaDB 11.4, or the
 * server named by LEADFLOW_TEST_MYSQL_URL). An initializer rather than a per-class
 * {@code @DynamicPropertySource}, so every MySQL test class shares one Spring context.
 */
public class MySqlContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		MySqlTestDatabase db = MySqlTestDatabase.get();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("leadflow-test-mysql", Map.of("spring.datasource.url", db.jdbcUrl(),
					"spring.datasource.username", db.username(), "spring.datasource.password", db.password())));
	}

}
