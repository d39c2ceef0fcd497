package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

/** Which admin passwords are refused outside the demo profile (real start-ups: AdminPasswordIT). */
class AdminPasswordCheckTest {

	@ParameterizedTest
	@ValueSource(strings = { "admin", "demo", "password", "camunda", "changeme", "manager", "rep1", "sales1", "marketing",
			"Password123!", "changeme2024!", "Camunda-2025!!", "admin_admin_admin", "opsadminopsadmin", "123456789012",
			"aaaaaaaaaaaaaa", "abcdefghijklmn", "qwertyuiopasdf", "Leadflow2026!!", "short#1Aa" })
	void wellKnownShortOrTrivialPasswordsAreRefused(String password) {
		assertThat(AdminPasswordCheck.weakness("opsadmin", password)).as(password).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "k7#Vq9!zP2@wLm4x", "correct horse battery staple", "Uo3mT8pq+VZq1rB0xk2w",
			"tsukue-no-ue-ni-ringo-7" })
	void strongPasswordsPass(String password) {
		assertThat(AdminPasswordCheck.weakness("opsadmin", password)).as(password).isEmpty();
	}

	@Test
	void theIdIsThePasswordWhenNoneIsSetAsInCamunda() {
		MockEnvironment mysql = new MockEnvironment().withProperty("camunda.bpm.admin-user.id", "administrator2026");
		mysql.setActiveProfiles("mysql");
		assertThatThrownBy(() -> AdminPasswordCheck.check(mysql)).isInstanceOf(WeakAdminPasswordException.class)
			.hasMessageContaining("administrator2026")
			.hasMessageContaining("camunda.bpm.admin-user.password");
	}

	@Test
	void onlyOutsideTheDemoProfileAndOnlyForAConfiguredAdmin() {
		MockEnvironment mysql = new MockEnvironment().withProperty("camunda.bpm.admin-user.id", "admin")
			.withProperty("camunda.bpm.admin-user.password", "admin");
		mysql.setActiveProfiles("mysql");
		assertThatThrownBy(() -> AdminPasswordCheck.check(mysql)).isInstanceOf(WeakAdminPasswordException.class);

		MockEnvironment mysqlDemo = new MockEnvironment().withProperty("camunda.bpm.admin-user.id", "admin")
			.withProperty("camunda.bpm.admin-user.password", "admin");
		mysqlDemo.setActiveProfiles("mysql", "demo");
		assertThatNoException().isThrownBy(() -> AdminPasswordCheck.check(mysqlDemo));

		// No profile named: demo is the default profile (application.yml), as in a plain `java -jar`.
		MockEnvironment plain = new MockEnvironment().withProperty("camunda.bpm.admin-user.id", "admin");
		plain.setDefaultProfiles("demo");
		assertThatNoException().isThrownBy(() -> AdminPasswordCheck.check(plain));

		MockEnvironment noAdmin = new MockEnvironment();
		noAdmin.setActiveProfiles("mysql");
		assertThatNoException().isThrownBy(() -> AdminPasswordCheck.check(noAdmin));

		MockEnvironment strong = new MockEnvironment().withProperty("camunda.bpm.admin-user.id", "admin")
			.withProperty("camunda.bpm.admin-user.password", "k7#Vq9!zP2@wLm4x");
		strong.setActiveProfiles("mysql");
		assertThatNoException().isThrownBy(() -> AdminPasswordCheck.check(strong));
	}

	@Test
	void theFailureAnalysisSaysWhyAndWhatToDo() {
		WeakAdminPasswordException refusal = new WeakAdminPasswordException("admin", "it is shorter than 12 characters");
		FailureAnalysis analysis = new WeakAdminPasswordFailureAnalyzer().analyze(new IllegalStateException("wrapped", refusal));
		assertThat(analysis.getDescription()).contains("refuses to start", "'admin'", "shorter than 12 characters");
		assertThat(analysis.getAction()).contains("CAMUNDA_BPM_ADMIN_USER_PASSWORD", "mysql,demo");
	}

}
