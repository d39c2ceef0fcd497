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

	public static int daysSince(Instant lastTouch, Instant now) {
		if (lastTouch == null) {
			return NEVER_TOUCHED_DAYS;
		}
		return (int) Math.max(0, Duration.between(lastTouch, now).toDays());
	}

}
