package com.leadflow.leads.imports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.common.InvalidRequestException.FieldError;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

/**
 * Turns a stored row into the request of {@code POST /api/leads} and checks it with the same
 * Bean Validation constraints, so a row is accepted or refused exactly as the single-lead API would.
 */
@Component
class LeadRows {

	private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
	};

	private final ObjectMapper json;

	private final Validator validator;

	LeadRows(ObjectMapper json, Validator validator) {
		this.json = json;
		this.validator = validator;
	}

	/** A row that is not a valid lead: its errors in column order, at least one. */
	static final class Rejected extends RuntimeException {

		private final transient List<FieldError> errors;

		Rejected(List<FieldError> errors) {
			super(errors.get(0).field() + ": " + errors.get(0).message(), null, false, false);
			this.errors = List.copyOf(errors);
		}

		List<FieldError> errors() {
			return errors;
		}

	}

	String toJson(Map<String, String> fields) {
		try {
			return json.writeValueAsString(fields);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("a map of strings is always JSON", ex);
		}
	}

	/** The row as a valid intake request. @throws Rejected when it is not one */
	LeadIntakeRequest toRequest(String rawFields) {
		Map<String, String> fields;
		try {
			fields = json.readValue(rawFields, FIELDS);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("stored row is not the JSON the upload wrote", ex);
		}
		List<FieldError> errors = new ArrayList<>();
		Route route = enumValue(Route.class, "route", fields.get("route"), errors);
		LossReason lossReason = enumValue(LossReason.class, "lossReason", fields.get("lossReason"), errors);
		LeadIntakeRequest request = new LeadIntakeRequest(fields.get("externalId"), route, fields.get("company"),
				fields.get("contactName"), fields.get("email"), fields.get("phone"), fields.get("timeZone"),
				fields.get("source"), fields.get("owner"), fields.get("note"), lossReason);
		Set<String> unparsable = new HashSet<>(errors.stream().map(FieldError::field).toList());
		for (ConstraintViolation<LeadIntakeRequest> violation : validator.validate(request)) {
			String field = violation.getPropertyPath().toString();
			if (!unparsable.contains(field)) {
				errors.add(new FieldError(field, violation.getMessage()));
			}
		}
		if (!errors.isEmpty()) {
			errors.sort(Comparator.comparingInt((FieldError e) -> LeadCsv.COLUMNS.indexOf(e.field()))
				.thenComparing(FieldError::message));
			throw new Rejected(errors);
		}
		return request;
	}

	/** Same wording as the API's answer to an unknown enum value in JSON. */
	private static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value, List<FieldError> errors) {
		if (value == null) {
			return null;
		}
		try {
			return Enum.valueOf(type, value);
		}
		catch (IllegalArgumentException ex) {
			String shown = value.length() > 50 ? value.substring(0, 50) + "…" : value;
			errors.add(new FieldError(field,
					"invalid value '" + shown + "'; allowed: " + Arrays.toString(type.getEnumConstants())));
			return null;
		}
	}

}
