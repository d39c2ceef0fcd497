package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Instant;

import com.leadflow.common.Clock;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.Test;

/**
 * The identity service refuses a user's logins for a few seconds after a failed attempt, the right
 * password included. The login form says so after every failure, alike for every user name, so it
 * neither hides the delay from a rep who mistyped nor tells a stranger which users exist.
 */
@LeadflowTest
class LoginDelayTest extends LeadflowApiSupport {

	@Test
	void theRightPasswordRightAfterAWrongOneIsRefusedUntilTheDelayIsOver() throws Exception {
		Instant now = clockAt(Clock.now());
		String rep = freshRep("delay");
		assertThat(login(rep, "wrong")).isEqualTo("/login?error");
		assertThat(login(rep, password(rep))).isEqualTo("/login?error");
		clockAt(now.plusSeconds(61));
		assertThat(login(rep, password(rep))).isEqualTo("/");
	}

	@Test
	void aFailedLoginLooksTheSameForAnExistingAndAnUnknownUser() throws Exception {
		clockAt(Clock.now());
		String rep = freshRep("delay");
		assertThat(login("nosuchuser" + rep, "wrong")).isEqualTo(login(rep, "wrong")).isEqualTo("/login?error");
	}

	@Test
	void theLoginFormExplainsTheDelayAfterAFailure() throws Exception {
		assertThat(page("/login?error", "en")).contains("data-login-error", "data-login-hint", "wait a moment");
		assertThat(page("/login?error", "ja")).contains("data-login-hint", "少し待ってから");
		assertThat(page("/login", "en")).doesNotContain("data-login-hint");
	}

	private String login(String user, String password) throws Exception {
		return mvc.perform(formLogin("/login").user(user).password(password)).andReturn().getResponse().getRedirectedUrl();
	}

	private String page(String url, String language) throws Exception {
		return mvc.perform(get(url).header("Accept-Language", language)).andReturn().getResponse().getContentAsString();
	}

}
