package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;

/**
 * A login that cannot be checked because the database is away is neither "wrong password" (401,
 * /login?error) nor a 500: 503 with Retry-After on the API, the unavailable page on the form.
 * End to end against a stopped database: DatabaseOutageIT.
 */
class LoginDuringDatabaseOutageTest {

	static final ProcessEngineException OUTAGE = new ProcessEngineException("ENGINE-03004 Exception while executing Database Operation",
			new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms",
					new ConnectException("Connection refused")));

	final UserDirectory users = mock(UserDirectory.class);

	final IdentityServiceAuthenticationProvider provider = new IdentityServiceAuthenticationProvider(users,
			new CredentialsCache(new SecurityProperties(java.time.Duration.ofSeconds(60), 100)));

	@Test
	void theProviderSaysTheDirectoryIsUnreachableNotThatThePasswordIsWrong() {
		when(users.checkPassword("rep1", "rep1")).thenThrow(OUTAGE);
		assertThatThrownBy(() -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("rep1", "rep1")))
			.isInstanceOf(InternalAuthenticationServiceException.class)
			.hasCause(OUTAGE);

		when(users.checkPassword("rep2", "wrong")).thenReturn(false);
		assertThatThrownBy(() -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("rep2", "wrong")))
			.isInstanceOf(BadCredentialsException.class);

		// A bug stays a bug (500), it is not dressed up as an outage.
		when(users.checkPassword("rep3", "rep3")).thenThrow(new IllegalStateException("bug"));
		assertThatThrownBy(() -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("rep3", "rep3")))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void theApiAnswers503WithRetryAfterAndTheLoginFormTheUnavailablePage() throws Exception {
		AuthenticationException unreachable = new InternalAuthenticationServiceException("The user directory is not reachable", OUTAGE);
		ProblemAuthenticationHandlers api = new ProblemAuthenticationHandlers(new ObjectMapper());
		MockHttpServletResponse response = new MockHttpServletResponse();
		api.commence(new MockHttpServletRequest("POST", "/api/leads"), response, unreachable);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(response.getHeader("WWW-Authenticate")).isNull();
		assertThat(response.getContentAsString()).contains("\"status\":503", "not reachable");

		MockHttpServletResponse wrong = new MockHttpServletResponse();
		api.commence(new MockHttpServletRequest("POST", "/api/leads"), wrong, new BadCredentialsException("Bad credentials"));
		assertThat(wrong.getStatus()).isEqualTo(401);
		assertThat(wrong.getHeader("WWW-Authenticate")).startsWith("Basic");

		MockHttpServletResponse page = new MockHttpServletResponse();
		new LoginFailureHandler().onAuthenticationFailure(new MockHttpServletRequest("POST", "/login"), page, unreachable);
		assertThat(page.getStatus()).isEqualTo(503);
		assertThat(page.getHeader("Retry-After")).isEqualTo("5");
		assertThat(page.getRedirectedUrl()).isNull();

		MockHttpServletResponse badPassword = new MockHttpServletResponse();
		new LoginFailureHandler().onAuthenticationFailure(new MockHttpServletRequest("POST", "/login"), badPassword,
				new BadCredentialsException("Bad credentials"));
		assertThat(badPassword.getRedirectedUrl()).isEqualTo("/login?error");
	}

}
