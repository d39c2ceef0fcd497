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
 * password included; the login form says how long to wait instead of only "wrong password".
 */
@LeadflowTest
class LoginDelayTest extends LeadflowApiSupport {

	@Test
	void afterAWrongPasswordTheFormSaysHowLongToWaitAndTheRightPasswordWorksAfterIt() throws Exception {
		Instant now = clockAt(Clock.now());
		String rep = freshRep("delay");
		assertThat(login(rep, "wrong")).isEqualTo("/login?error&wait=3");
		// Still paused: the right password is refused too (the delay itself stays as the engine has it).
		assertThat(login(rep, password(rep))).startsWith("/login?error&wait=");
		clockAt(now.plusSeconds(61));
		assertThat(login(rep, password(rep))).isEqualTo("/");
	}

	@Test
	void anUnknownUserIsOnlyWrong() throws Exception {
		assertThat(login("nosuchuser", "wrong")).isEqualTo("/login?error");
	}

	@Test
	void theLoginPageShowsTheWaitOnlyForANumber() throws Exception {
		assertThat(page("/login?error&wait=3")).contains("data-login-wait", "wait 3 s, then try again");
		assertThat(page("/login?error&wait=%3Cb%3E")).doesNotContain("data-login-wait").contains("data-login-error");
		assertThat(page("/login?error")).doesNotContain("data-login-wait");
		assertThat(page("/login?error&locked")).contains("data-login-locked");
	}

	private String login(String user, String password) throws Exception {
		return mvc.perform(formLogin("/login").user(user).password(password)).andReturn().getResponse().getRedirectedUrl();
	}

	private String page(String url) throws Exception {
		return mvc.perform(get(url)).andReturn().getResponse().getContentAsString();
	}

}
