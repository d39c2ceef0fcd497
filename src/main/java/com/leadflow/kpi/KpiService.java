package com.leadflow.kpi;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.leadflow.audit.TouchCoverage;
import com.leadflow.common.Clock;
import com.leadflow.common.Ids;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.kpi.KpiReport.Measure;
import com.leadflow.kpi.KpiReport.Point;
import com.leadflow.kpi.KpiReport.Progress;
import com.leadflow.kpi.KpiReport.Rates;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.scheduling.OwnerAssignment;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** KPI answers: counters of a range against the quarter's targets split over working days. */
@Service
public class KpiService {

	/** A touch coverage this close to 100 % counts as on track. */
	static final double TOUCH_COVERAGE_ON_TRACK = 0.95;

	public static final String TEAM = "*";

	private final KpiRepository kpis;

	private final KpiProperties defaults;

	private final BusinessCalendar calendar;

	private final UserDirectory users;

	private final OwnerAssignment reps;

	private final TouchCoverage touchCoverage;

	KpiService(KpiRepository kpis, KpiProperties defaults, BusinessCalendar calendar, UserDirectory users,
			OwnerAssignment reps, TouchCoverage touchCoverage) {
		this.touchCoverage = touchCoverage;
		this.kpis = kpis;
		this.defaults = defaults;
		this.calendar = calendar;
		this.users = users;
		this.reps = reps;
	}

	public enum Granularity {

		DAY, WEEK

	}

	@Transactional(readOnly = true)
	public KpiReport report(LocalDate from, LocalDate to, String rep, Granularity granularity) {
		checkRange(from, to);
		KpiCounts counts = kpis.sum(from, to, rep);
		KpiTargets targets = targets(quarterOf(from), rep);
		Instant now = Clock.now();
		TouchCoverage.Counts touch = touchCoverage.since(rep, now.minus(Duration.ofDays(targets.touchIntervalDays())));
		Double coverage = touch.active() == 0 ? null : Rates.round((double) touch.touched() / touch.active());
		Rates rates = Rates.of(counts, coverage);
		List<String> team = rep == null ? activeReps() : List.of(rep);
		LocalDate today = now.atZone(calendar.teamZone()).toLocalDate();
		int workingDays = calendar.workingDaysBetween(from, to);
		int elapsed = today.isBefore(from) ? 0 : calendar.workingDaysBetween(from, today.isBefore(to) ? today : to);
		Map<String, Integer> dailyCallsByQuarter = new HashMap<>();
		double callsTarget = callsTarget(from, today.isBefore(to) ? today : to, team, dailyCallsByQuarter);
		Progress progress = new Progress(workingDays, elapsed, team.size(),
				new Measure((double) counts.calls(), callsTarget, elapsed == 0 ? null : counts.calls() >= callsTarget),
				floor(rates.contactRate(), targets.contactRate()), floor(rates.meetingRate(), targets.meetingRate().get(0)),
				floor(rates.hearingPerContact(), targets.hearingPerContact().get(0)),
				floor(rates.opportunityRate(), targets.opportunityRate().get(0)),
				new Measure(coverage, 1.0, coverage == null ? null : coverage >= TOUCH_COVERAGE_ON_TRACK));
		List<Point> series = granularity == null ? null
				: series(from, to, rep, team, granularity, dailyCallsByQuarter);
		return new KpiReport(from, to, rep, counts, rates, targets, progress, series);
	}

	/** Calls a rep completed on {@code day} and the rep's daily call target then. */
	public record DailyCalls(long done, int target) {
	}

	/**
	 * What the inbox's progress bar shows: two small reads, where {@link #report} also measures the
	 * rep's touch coverage over all of its leads.
	 */
	@Transactional(readOnly = true)
	public DailyCalls dailyCalls(LocalDate day, String rep) {
		return new DailyCalls(kpis.sum(day, day, rep).calls(), targets(quarterOf(day), rep).callsPerDay());
	}

	/** One row per rep with counts and rates, for the dashboard's rep-by-rep table. */
	@Transactional(readOnly = true)
	public Map<String, KpiCounts> perRep(LocalDate from, LocalDate to) {
		checkRange(from, to);
		Map<String, KpiCounts> rows = new LinkedHashMap<>();
		activeReps().forEach(r -> rows.put(r, KpiCounts.ZERO));
		kpis.perRep(from, to).forEach(r -> rows.put(r.rep(), r.counts()));
		return rows;
	}

	/** The targets in force for a quarter and rep: the rep's own, else the team's, else the defaults. */
	@Transactional(readOnly = true)
	public KpiTargets targets(String quarter, String rep) {
		if (rep != null) {
			var own = kpis.target(quarter, rep);
			if (own.isPresent()) {
				return own.get();
			}
		}
		return kpis.target(quarter, TEAM).orElse(defaults.defaults());
	}

	@Transactional
	public KpiTargets saveTargets(String quarter, String rep, KpiTargets targets, String by) {
		checkQuarter(quarter);
		if (rep != null && !users.isMember(rep, Groups.REPS)) {
			throw new InvalidRequestException("rep", "unknown rep '" + rep + "'");
		}
		checkRange("meetingRate", targets.meetingRate());
		checkRange("hearingPerContact", targets.hearingPerContact());
		checkRange("opportunityRate", targets.opportunityRate());
		kpis.saveTarget(quarter, rep == null ? TEAM : rep, targets, by, Clock.now());
		return targets;
	}

	@Transactional
	public KpiReview addReview(LocalDate from, LocalDate to, String rep, String note, String recoveryPlan, String by) {
		checkRange(from, to);
		if (rep != null && !users.isMember(rep, Groups.REPS)) {
			throw new InvalidRequestException("rep", "unknown rep '" + rep + "'");
		}
		KpiReview review = new KpiReview(Ids.newId(), from, to, rep, note, recoveryPlan, by, Clock.now());
		kpis.saveReview(review);
		return review;
	}

	@Transactional(readOnly = true)
	public List<KpiReview> reviews(LocalDate from, LocalDate to, String rep) {
		checkRange(from, to);
		return kpis.reviews(from, to, rep);
	}

	public static String quarterOf(LocalDate day) {
		return day.getYear() + "-Q" + day.get(IsoFields.QUARTER_OF_YEAR);
	}

	/**
	 * Calls expected from these reps over the working days in [from, to], each day at its quarter's
	 * target; {@code dailyCallsByQuarter} remembers the team's daily target per quarter across calls.
	 */
	private double callsTarget(LocalDate from, LocalDate to, List<String> team, Map<String, Integer> dailyCallsByQuarter) {
		if (to.isBefore(from)) {
			return 0;
		}
		double total = 0;
		for (LocalDate day : calendar.workingDays(from, to)) {
			total += dailyCallsByQuarter.computeIfAbsent(quarterOf(day), q -> {
				// One read of the quarter's targets for the whole team, not two per rep.
				Map<String, KpiTargets> set = kpis.targets(q);
				KpiTargets teamTargets = set.getOrDefault(TEAM, defaults.defaults());
				return team.stream().mapToInt(r -> set.getOrDefault(r, teamTargets).callsPerDay()).sum();
			});
		}
		return total;
	}

	private List<Point> series(LocalDate from, LocalDate to, String rep, List<String> team, Granularity granularity,
			Map<String, Integer> dailyCallsByQuarter) {
		Map<LocalDate, KpiCounts> buckets = new LinkedHashMap<>();
		for (LocalDate d = bucket(from, granularity); !d.isAfter(to); d = granularity == Granularity.DAY ? d.plusDays(1)
				: d.plusWeeks(1)) {
			buckets.put(d, KpiCounts.ZERO);
		}
		for (KpiRepository.DayCounts day : kpis.perDay(from, to, rep)) {
			buckets.merge(bucket(day.day(), granularity), day.counts(), KpiCounts::plus);
		}
		List<Point> points = new ArrayList<>();
		buckets.forEach((period, counts) -> {
			LocalDate start = period.isBefore(from) ? from : period;
			LocalDate end = granularity == Granularity.DAY ? period : period.plusDays(6);
			points.add(new Point(period, counts, Rates.of(counts, null),
					callsTarget(start, end.isAfter(to) ? to : end, team, dailyCallsByQuarter)));
		});
		return points;
	}

	private static LocalDate bucket(LocalDate day, Granularity granularity) {
		return granularity == Granularity.DAY ? day : day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
	}

	private List<String> activeReps() {
		return reps.activeReps();
	}

	private static Measure floor(Double actual, double target) {
		return new Measure(actual, target, actual == null ? null : actual >= target);
	}

	private static void checkRange(LocalDate from, LocalDate to) {
		if (from.isAfter(to)) {
			throw new InvalidRequestException("from", "must not be after 'to'");
		}
		if (from.plusYears(2).isBefore(to)) {
			throw new InvalidRequestException("to", "the range may span two years at most");
		}
	}

	private static void checkRange(String field, List<Double> range) {
		if (range.get(0) > range.get(1)) {
			throw new InvalidRequestException(field, "minimum must not exceed maximum");
		}
	}

	static void checkQuarter(String quarter) {
		if (quarter == null || !quarter.matches("20\\d\\d-Q[1-4]")) {
			throw new InvalidRequestException("quarter", "must look like 2026-Q4");
		}
	}

}
