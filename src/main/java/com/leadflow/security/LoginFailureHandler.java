package com.leadflow.security;

import java.io.IOException;

import com.leadflow.common.DatabaseOutage;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * A failed form login: back to the form with its error for wrong credentials; when the user
 * directory (the database) could not be asked, the "temporarily unavailable" page with 503 and
 * {@code Retry-After} instead, so nobody is told their password is wrong during an outage.
 */
class LoginFailureHandler implements AuthenticationFailureHandler {

	private final AuthenticationFailureHandler wrongCredentials = new SimpleUrlAuthenticationFailureHandler("/login?error");

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (DatabaseOutage.isOutage(exception)) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		wrongCredentials.onAuthenticationFailure(request, response, exception);
	}

}
