package com.leadflow.web.outcome;

import java.util.Map;

import com.leadflow.actions.Outcome;

/**
 * What the rep typed into the outcome form, kept as typed (times as datetime-local text in the
 * user's zone) so that a form refused by validation comes back exactly as it was sent.
 *
 * @param suggestedType the suggestion the rep saw; {@code nextType}/{@code nextDue} that differ
 * from it are the rep's override
 */
record OutcomeForm(Outcome outcome, Map<String, String> hearing, String note, String meetingAt, String nextType,
		String nextDue, String suggestedType, String suggestedDue) {

	static OutcomeForm empty() {
		return new OutcomeForm(null, Map.of(), "", "", "", "", "", "");
	}

	public String hearingValue(String item) {
		return hearing == null ? "" : hearing.getOrDefault(item, "");
	}

	public boolean overridden() {
		return !isBlank(nextDue) && (!nextDue.equals(suggestedDue) || !java.util.Objects.equals(nextType, suggestedType));
	}

	static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
