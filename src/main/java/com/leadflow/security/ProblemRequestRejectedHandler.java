package com.leadflow.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.ObservationMarkingRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * A request the security firewall refuses (a URL that is not normalized, an encoded slash or NUL,
 * a control character in a header): 400 as a problem detail under /api/**, like every other API
 * error; the pages keep the plain 400 of the container's error page. Spring Security uses this
 * bean instead of its default handler.
 */
@Component
class ProblemRequestRejectedHandler implements RequestRejectedHandler {

	private final ObjectMapper json;

	private final RequestRejectedHandler observation;

	ProblemRequestRejectedHandler(ObjectMapper json, ObjectProvider<ObservationRegistry> observations) {
		this.json = json;
		this.observation = new ObservationMarkingRequestRejectedHandler(
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex)
			throws IOException, ServletException {
		this.observation.handle(request, response, ex);
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.startsWith("/api/")) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
			return;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request was rejected: its URL or a header holds characters or sequences that are not allowed "
						+ "(such as an encoded slash, '..' or a control character).");
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		json.writeValue(response.getOutputStream(), problem);
	}

}
