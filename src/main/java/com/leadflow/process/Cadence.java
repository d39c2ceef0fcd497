package com.leadflow.process;

import java.time.Duration;
import java.time.Instant;

/** Plain rules the cadence decision needs as inputs; the decision itself is the DMN table. */
public final class Cadence {

	/** "Never touched" as a number the decision table can compare. */
	public static final int NEVER_TOUCHED_DAYS = 9999;

	private Cadence() {
	}

	/** Consecutive calls that did not reach the person; anything else starts the count again. */
	public static int attemptAfter(int previousAttempts, String lastOutcome) {
		return "NO_ANSWER".equals(lastOutcome) ? previousAttempts + 1 : 0;
	}

	/**
	 * The action type the decision table chose, on a channel the lead can be reached by: a lead
	 * without a phone number gets an individual EMAIL where the cadence says CALL, and a lead
	 * without an email address gets a CALL where it says EMAIL or CONTENT; the delay stays the
	 * table's. Anything else (a MEETING, PARK) is returned as it is.
	 */
	public static String reachableType(String actionType, boolean hasPhone, boolean hasEmail) {
		if ("CALL".equals(actionType) && !hasPhone && hasEmail) {
			return "EMAIL";
		}
		if (("EMAIL".equals(actionType) || "CONTENT".equals(actionType)) && !hasEmail && hasPhone) {
			return "CALL";
		}
		return actionType;
	}

	public static int daysSince(Instant lastTouch, Instant now) {
		if (lastTouch == null) {
			return NEVER_TOUCHED_DAYS;
		}
		return (int) Math.max(0, Duration.between(lastTouch, now).toDays());
	}

}
