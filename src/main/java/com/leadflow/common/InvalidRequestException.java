package com.leadflow.common;

import java.util.List;

/**
 * Input that breaks a business rule (400). Carries field errors in the same shape as bean
 * validation so clients handle both alike.
 */
public class InvalidRequestException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidRequestException(String field, String message) {
		this(field + ": " + message, List.of(new FieldError(field, message)));
	}

	public InvalidRequestException(String detail, List<FieldError> errors) {
		super(detail);
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return errors;
	}

	public record FieldError(String field, String message) {
	}

}
