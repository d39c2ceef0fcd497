package com.leadflow.kpi;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * GET /api/kpis (API.md): counts, rates (null when the denominator is 0) and targets; extended
 * with the progress against the pro-rated target and, on request, a day or week series.
 */
public record KpiReport(LocalDate from, LocalDate to, String rep, KpiCounts counts, Rates rates, KpiTargets targets,
		Progress progress, @JsonInclude(JsonInclude.Include.NON_NULL) List<Point> series) {

	public record Rates(Double contactRate, Double meetingRate, Double hearingPerContact, Double opportunityRate,
			Double touchCoverage90d) {

		static Rates of(KpiCounts c, Double touchCoverage) {
			return new Rates(ratio(c.contacts(), c.calls()), ratio(c.meetings(), c.contacts()),
					ratio(c.hearingItems(), c.contacts()), ratio(c.opportunities(), c.meetingsHeld()), touchCoverage);
		}

		static Double ratio(long numerator, long denominator) {
			return denominator == 0 ? null : round((double) numerator / denominator);
		}

		static Double round(double value) {
			return Math.round(value * 10_000d) / 10_000d;
		}
	}

	/** Actual against target for one KPI; {@code onTrack} null when there is nothing to judge yet. */
	public record Measure(Double actual, Double target, Boolean onTrack) {
	}

	/**
	 * Where the range stands: working days in it and elapsed so far, and each KPI against its target
	 * (the calls target pro-rated over the elapsed working days, so a shortfall shows on day 3).
	 */
	public record Progress(int workingDays, int workingDaysElapsed, int reps, Measure calls, Measure contactRate,
			Measure meetingRate, Measure hearingPerContact, Measure opportunityRate, Measure touchCoverage90d) {
	}

	/** One day or week of a series ({@code period} = the day, or the Monday of the week). */
	public record Point(LocalDate period, KpiCounts counts, Rates rates, Double callsTarget) {
	}

}
