package com.leadflow.common;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandler;
import org.camunda.bpm.engine.rest.exception.ProcessEngineExceptionHandler;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception mapper of Camunda's engine REST API ({@code /engine-rest}, Jersey) in place of
 * Camunda's three generic ones ({@link ProcessEngineExceptionHandler}, {@link RestExceptionHandler},
 * {@link ExceptionHandler}; {@link EngineRestConfig} leaves them out). A failure that is a
 * {@link DatabaseOutage} answers 503 with {@code Retry-After} and a problem detail, like the rest of
 * Leadflow, instead of Camunda's 500; every other failure goes to the Camunda mapper that used to
 * get it, so its status codes (400, 403, 404, 500...) and its JSON ({@code type}, {@code message},
 * {@code code}) stay as they are.
 * <p>
 * One mapper for {@link Throwable}: Jersey picks the mapper with the closest exception type, and an
 * outage comes wrapped in different types (Camunda's {@code ProcessEngineException} around MyBatis'
 * {@code PersistenceException}, Spring's {@code CannotCreateTransactionException} from the engine's
 * transaction interceptor, a {@code RestException} a resource made of either). Camunda's mappers for
 * Jackson's parse and mapping errors (400) stay registered and keep those.
 */
public class EngineRestExceptionMapper implements ExceptionMapper<Throwable> {

	private static final Logger log = LoggerFactory.getLogger(EngineRestExceptionMapper.class);

	static final String PROBLEM_JSON = "application/problem+json";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final ProcessEngineExceptionHandler processEngineExceptions = new ProcessEngineExceptionHandler();

	private final RestExceptionHandler restExceptions = new RestExceptionHandler();

	private final ExceptionHandler otherExceptions = new ExceptionHandler();

	/** The request, for the problem's {@code instance}; Jersey injects it (null outside Jersey). */
	@Context
	UriInfo uriInfo;

	@Override
	public Response toResponse(Throwable failure) {
		if (DatabaseOutage.isOutage(failure)) {
			log.warn("Database unavailable, /engine-rest answered 503: {}", failure.toString());
			return unavailable();
		}
		if (failure instanceof ProcessEngineException engine) {
			return processEngineExceptions.toResponse(engine);
		}
		if (failure instanceof RestException rest) {
			return restExceptions.toResponse(rest);
		}
		return otherExceptions.toResponse(failure);
	}

	private Response unavailable() {
		// The fields and their order of Spring's ProblemDetail, as ApiExceptionHandler answers on /api.
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", Response.Status.SERVICE_UNAVAILABLE.getReasonPhrase());
		problem.put("status", Response.Status.SERVICE_UNAVAILABLE.getStatusCode());
		problem.put("detail", DatabaseOutage.DETAIL);
		String instance = instance();
		if (instance != null) {
			problem.put("instance", instance);
		}
		byte[] body;
		try {
			body = JSON.writeValueAsBytes(problem);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("A map of strings and a number is always JSON", ex);
		}
		return Response.status(Response.Status.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS))
			.type(PROBLEM_JSON)
			.entity(body)
			.build();
	}

	private String instance() {
		try {
			return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
		}
		catch (RuntimeException ex) {
			// Outside a request (no request scope): the problem goes without its instance.
			return null;
		}
	}

}
