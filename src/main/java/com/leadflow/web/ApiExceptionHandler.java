package com.leadflow.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.leadflow.common.ConflictException;
import com.leadflow.common.DatabaseOutage;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as an RFC 9457 problem detail with a readable {@code detail} and, for invalid
 * input, an {@code errors} array of {@code {field, message}}. Nothing reaches the client as a
 * bare 500 with a stack trace. Errors raised before a Leadflow controller was chosen (no such
 * path, method not allowed) come here through {@link UnmatchedApiRequestHandler}.
 */
@RestControllerAdvice(basePackages = "com.leadflow")
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	record FieldError(String field, String message) {
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return invalid(fieldErrors(ex));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach(result -> result.getResolvableErrors()
			.forEach(error -> errors.add(new FieldError(result.getMethodParameter().getParameterName(),
					error.getDefaultMessage()))));
		return invalid(errors);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return invalid(List.of(new FieldError(path(unknown), "unknown property")));
		}
		if (cause instanceof InvalidFormatException format) {
			String allowed = format.getTargetType() != null && format.getTargetType().isEnum()
					? "; allowed: " + List.of(format.getTargetType().getEnumConstants())
					: "";
			return invalid(List.of(new FieldError(path(format), "invalid value '" + format.getValue() + "'" + allowed)));
		}
		if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			return invalid(List.of(new FieldError(path(mapping), "invalid value")));
		}
		// Same shape as every other invalid input, so clients handle all 400s alike.
		return invalid(List.of(new FieldError("body", cause == null ? "is missing" : "is not valid JSON")));
	}

	@ExceptionHandler(BindException.class)
	ResponseEntity<Object> bind(BindException ex) {
		return invalid(ex.getFieldErrors()
			.stream()
			.map(e -> new FieldError(e.getField(), e.isBindingFailure() ? "invalid value" : e.getDefaultMessage()))
			.toList());
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String name = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : ex.getPropertyName();
		return invalid(List.of(new FieldError(name, "invalid value '" + ex.getValue() + "'")));
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<Object> constraintViolation(ConstraintViolationException ex) {
		return invalid(ex.getConstraintViolations()
			.stream()
			.map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
			.toList());
	}

	@ExceptionHandler(InvalidRequestException.class)
	ResponseEntity<Object> invalidRequest(InvalidRequestException ex) {
		return problem(HttpStatus.BAD_REQUEST, ex.getMessage(),
				ex.errors().stream().map(e -> new FieldError(e.field(), e.message())).toList());
	}

	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<Object> notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.getMessage(), null);
	}

	@ExceptionHandler(ConflictException.class)
	ResponseEntity<Object> conflict(ConflictException ex) {
		return problem(HttpStatus.CONFLICT, ex.getMessage(), null);
	}

	@ExceptionHandler(ForbiddenException.class)
	ResponseEntity<Object> forbidden(ForbiddenException ex) {
		return problem(HttpStatus.FORBIDDEN, ex.getMessage(), null);
	}

	/**
	 * The database cannot be reached (or is too busy to answer): 503 with {@code Retry-After}, fast
	 * (the pool's connection-timeout bounds the wait). Nothing was stored; a retry with the same
	 * idempotency key (a lead's {@code externalId}) is safe. Camunda's and other wrappers of such a
	 * failure come here through {@link #unexpected(Exception)} ({@link DatabaseOutage}).
	 */
	@ExceptionHandler({ CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
			DataAccessResourceFailureException.class, TransientDataAccessException.class })
	ResponseEntity<Object> databaseUnavailable(Exception ex) {
		log.warn("Database unavailable, answered 503: {}", ex.toString());
		return unavailable();
	}

	private static ResponseEntity<Object> unavailable() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS))
			.contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DatabaseOutage.DETAIL));
	}

	/** The problem detail of an exception no Leadflow controller raised (Spring MVC's own, or any other). */
	ResponseEntity<Object> problemFor(Exception ex, WebRequest request) throws Exception {
		try {
			return handleException(ex, request);
		}
		catch (Exception rethrown) {
			// handleException rethrows what it does not know: that is an unexpected error.
			if (rethrown != ex) {
				throw rethrown;
			}
			return unexpected(ex);
		}
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex) {
		if (DatabaseOutage.isOutage(ex)) {
			// Camunda's ProcessEngineException, a failed commit or rollback... around a lost connection.
			return databaseUnavailable(ex);
		}
		log.error("Unexpected error; the transaction was rolled back", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR,
				"Something went wrong on our side; nothing was changed. The error is logged.", null);
	}

	private ResponseEntity<Object> invalid(List<FieldError> errors) {
		String detail = errors.isEmpty() ? "The request is invalid."
				: "The request is invalid: " + String.join("; ",
						errors.stream().map(e -> e.field() + ": " + e.message()).toList());
		return problem(HttpStatus.BAD_REQUEST, detail, errors);
	}

	private ResponseEntity<Object> problem(HttpStatus status, String detail, List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (errors != null) {
			problem.setProperties(Map.of("errors", errors));
		}
		return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static List<FieldError> fieldErrors(MethodArgumentNotValidException ex) {
		List<FieldError> errors = new ArrayList<>();
		ex.getBindingResult().getFieldErrors().forEach(e -> errors.add(new FieldError(e.getField(), e.getDefaultMessage())));
		ex.getBindingResult().getGlobalErrors().forEach(e -> errors.add(new FieldError(e.getObjectName(), e.getDefaultMessage())));
		return errors;
	}

	private static String path(JsonMappingException ex) {
		StringBuilder path = new StringBuilder();
		for (JsonMappingException.Reference ref : ex.getPath()) {
			if (ref.getFieldName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(ref.getFieldName());
			}
			else if (ref.getIndex() >= 0) {
				path.append('[').append(ref.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}

	private static String lastNode(String propertyPath) {
		int dot = propertyPath.lastIndexOf('.');
		return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
	}

}
