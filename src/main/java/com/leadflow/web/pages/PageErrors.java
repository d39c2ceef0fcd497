package com.leadflow.web.pages;

import java.util.Locale;
import java.util.Map;

import com.leadflow.common.InvalidRequestException.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * What refused input means, in the page's language. The services and Bean Validation speak English
 * (the API's words, which integrations rely on); a page says the same from the message bundles and
 * keeps the English words only for what has no message code.
 */
@Component
public class PageErrors {

	private final MessageSource messages;

	PageErrors(MessageSource messages) {
		this.messages = messages;
	}

	/** A service's field error: its message code in {@code locale}, else its English message. */
	public String text(FieldError error, Locale locale) {
		if (error.code() == null) {
			return error.message();
		}
		String text = messages.getMessage(error.code(), error.arguments().toArray(), null, locale);
		return text == null ? error.message() : text;
	}

	/**
	 * A Bean Validation message by constraint and field: {@code <prefix>.error.<Constraint>.<field>}, else
	 * {@code <prefix>.error.<Constraint>} ({0} = max, {1} = min where the constraint has them), else
	 * the validator's English message.
	 */
	public String text(String prefix, ConstraintViolation<?> violation, Locale locale) {
		String constraint = violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
		Map<String, Object> attributes = violation.getConstraintDescriptor().getAttributes();
		// As written in the annotation (2000, not a locale's 2,000), like the form's maxlength.
		Object[] args = { String.valueOf(attributes.get("max")), String.valueOf(attributes.get("min")) };
		String base = prefix + ".error." + constraint;
		String text = messages.getMessage(base + "." + field(violation), args, null, locale);
		if (text == null) {
			text = messages.getMessage(base, args, null, locale);
		}
		return text == null ? violation.getMessage() : text;
	}

	/** The name of the property a violation is about (the last node of its path). */
	public static String field(ConstraintViolation<?> violation) {
		String name = null;
		for (Path.Node node : violation.getPropertyPath()) {
			name = node.getName();
		}
		return name == null ? violation.getPropertyPath().toString() : name;
	}

}
