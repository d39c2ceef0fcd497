package com.leadflow.common;

import java.util.Arrays;
import java.util.List;

/**
 * Input that breaks a business rule (400). Carries field errors in the same shape as bean
 * validation so clients handle both alike.
 *
 * <p>The message is English and is what the API answers. A field error may also carry a message
 * code and its arguments, so that a page can say the same in the user's language; the API never
 * uses them.
 */
public class InvalidRequestException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidRequestException(String field, String message) {
		this(field + ": " + message, List.of(new FieldError(field, message)));
	}

	/** One field's error with the message code (and its arguments) the pages translate it by. */
	public InvalidRequestException(String field, String message, String code, Object... arguments) {
		this(field + ": " + message, List.of(new FieldError(field, message, code, Arrays.asList(arguments))));
	}

	public InvalidRequestException(String detail, List<FieldError> errors) {
		super(detail);
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return errors;
	}

	/**
	 * @param message the English message (the API's)
	 * @param code a message code for the pages, or null when there is none (the pages show the message)
	 * @param arguments the code's arguments: text already formatted for people (dates in the lead's zone),
	 * numbers, or {@code MessageSourceResolvable}s the page resolves in its language
	 */
	public record FieldError(String field, String message, String code, List<Object> arguments) {

		public FieldError {
			arguments = arguments == null ? List.of() : List.copyOf(arguments);
		}

		public FieldError(String field, String message) {
			this(field, message, null, List.of());
		}

	}

}
