package com.leadflow.audit;

import java.time.Instant;

import org.springframework.stereotype.Component;

/**
 * The KPI touch coverage from the audit's counters: active leads (of a rep, or all) and how many of
 * them had an individual touch at or after a cut-off. Never-touched leads are not touched. A few
 * hundred counter rows and one indexed count of the cut-off's hour, whatever the number of leads.
 */
@Component
public class TouchCoverage {

	/** Active leads and those among them touched since the cut-off. */
	public record Counts(long active, long touched) {
	}

	private final AuditCounters counters;

	TouchCoverage(AuditCounters counters) {
		this.counters = counters;
	}

	/** @param owner the rep, or null for every active lead */
	public Counts since(String owner, Instant since) {
		return new Counts(counters.activeLeads(owner), counters.touchedSince(owner, since));
	}

}
