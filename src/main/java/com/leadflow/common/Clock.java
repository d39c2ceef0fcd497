package com.leadflow.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The time Leadflow works with: the engine's clock (so process tests can move time with
 * {@link ClockUtil}), in whole seconds because the MySQL schema stores whole seconds.
 */
public final class Clock {

	private Clock() {
	}

	public static Instant now() {
		return ClockUtil.getCurrentTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
	}

}
