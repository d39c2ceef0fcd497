package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.leadflow.LeadflowApplication;
import com.leadflow.testsupport.MySqlTestDatabase;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code mysql} profile refuses to start when the first admin user would get a well-known
 * password, with Leadflow's failure analysis, and stores nothing; a strong password starts, and
 * {@code mysql,demo} (demo named explicitly) starts with a known one. The real application
 * (SpringApplication) against the suite's MariaDB.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordIT {

	@Test
	void aWellKnownAdminPasswordRefusesToStartWithAClearMessageAndCreatesNoUser(CapturedOutput output) throws Exception {
		String id = "opsadmin" + suffix();
		assertThatThrownBy(() -> start(List.of("mysql"), id, "admin")).isInstanceOf(WeakAdminPasswordException.class)
			.hasMessageContaining("Refusing to start")
			.hasMessageContaining(id);
		assertThat(output).contains("APPLICATION FAILED TO START", "Leadflow refuses to start outside the demo profile",
				"CAMUNDA_BPM_ADMIN_USER_PASSWORD");
		// Camunda's default (no password: the id) is refused as well.
		assertThatThrownBy(() -> start(List.of("mysql"), id, null)).isInstanceOf(WeakAdminPasswordException.class);
		assertThat(usersNamed(id)).as("the engine never stored the user").isZero();
	}

	@Test
	void aStrongAdminPasswordStartsAndCreatesTheAdmin() {
		String id = "opsadmin" + suffix();
		String password = "Vq9!zP2@wLm4x-" + suffix();
		try (ConfigurableApplicationContext app = start(List.of("mysql"), id, password)) {
			IdentityService identity = app.getBean(IdentityService.class);
			assertThat(identity.createUserQuery().userId(id).memberOfGroup(Groups.ADMINS).count()).isEqualTo(1);
			assertThat(identity.checkPassword(id, password)).isTrue();
		}
	}

	@Test
	void mysqlWithTheDemoProfileNamedStillStartsWithAKnownPassword() {
		String id = "demoadmin" + suffix();
		try (ConfigurableApplicationContext app = start(List.of("mysql", "demo"), id, null)) {
			assertThat(app.getBean(IdentityService.class).checkPassword(id, id)).isTrue();
		}
	}

	static ConfigurableApplicationContext start(List<String> profiles, String adminId, String adminPassword) {
		MySqlTestDatabase db = MySqlTestDatabase.get();
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + db.jdbcUrl(),
				"--spring.datasource.username=" + db.username(), "--spring.datasource.password=" + db.password(),
				"--camunda.bpm.admin-user.id=" + adminId,
				// Only the start-up is under test: nothing in the background on the shared database.
				"--camunda.bpm.webapp.enabled=false", "--camunda.bpm.process-engine-name=adminpassword", "--camunda.bpm.job-execution.enabled=false",
				"--leadflow.demo-data.enabled=false", "--leadflow.import.worker-enabled=false",
				"--leadflow.mail.outbox.worker-enabled=false", "--leadflow.mail.notices.digest.cron=-",
				"--leadflow.audit.alerts-enabled=false", "--leadflow.audit.check-interval=PT24H",
				"--leadflow.mail.unsubscribe-secret=admin-password-it-secret-" + suffix()));
		if (adminPassword != null) {
			args.add("--camunda.bpm.admin-user.password=" + adminPassword);
		}
		return new SpringApplicationBuilder(LeadflowApplication.class).profiles(profiles.toArray(String[]::new))
			.run(args.toArray(String[]::new));
	}

	static long usersNamed(String id) throws Exception {
		try (Connection c = MySqlTestDatabase.get().openConnection();
				PreparedStatement tables = c.prepareStatement(
						"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'ACT_ID_USER'")) {
			try (ResultSet rs = tables.executeQuery()) {
				rs.next();
				if (rs.getLong(1) == 0) {
					return 0;
				}
			}
			try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM ACT_ID_USER WHERE ID_ = ?")) {
				st.setString(1, id);
				try (ResultSet rs = st.executeQuery()) {
					rs.next();
					return rs.getLong(1);
				}
			}
		}
	}

	static String suffix() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
	}

}
