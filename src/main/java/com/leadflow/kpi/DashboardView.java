package com.leadflow.kpi;

import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.leadflow.kpi.KpiReport.Point;
import com.leadflow.kpi.KpiReport.Progress;
import com.leadflow.kpi.KpiReport.Rates;

import org.springframework.context.MessageSource;

/**
 * What the dashboard page shows, already formatted for the reader's locale: the page template only
 * lays it out (and escapes it). Numbers for the charts stay numbers.
 */
final class DashboardView {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private final MessageSource messages;

	private final Locale locale;

	DashboardView(MessageSource messages, Locale locale) {
		this.messages = messages;
		this.locale = locale;
	}

	/** One KPI against its target; {@code onTrack} null when there is nothing to judge yet. */
	record KpiCard(String key, String actual, String detail, String target, Boolean onTrack) {
	}

	/** One bar of the funnel; {@code width} in percent of the widest bar. */
	record FunnelStep(String key, long count, int width, String conversion) {
	}

	record RepRow(String rep, long calls, long contacts, String contactRate, Boolean contactOnTrack, long meetings,
			String meetingRate, long hearingItems, String hearingPerContact, long meetingsHeld, long opportunities,
			String opportunityRate) {
	}

	record ReviewRow(String period, String rep, String note, String recoveryPlan, String createdBy, String createdAt) {
	}

	/** A quick range button (this week, month, quarter). */
	record QuickRange(String key, LocalDate from, LocalDate to, boolean active) {
	}

	/** A chart's series: contact rate in percent; nulls where there is nothing to plot (future days, no calls). */
	record Series(List<String> periods, List<Long> calls, List<Double> callsTarget, List<Double> contactRate) {
	}

	/** Everything dashboard.js draws, rendered into the page as JSON. */
	record Charts(Series daily, Series weekly, Map<String, String> labels) {
	}

	List<KpiCard> cards(KpiReport report) {
		KpiCounts c = report.counts();
		Rates r = report.rates();
		Progress p = report.progress();
		KpiTargets t = report.targets();
		return List.of(
				new KpiCard("calls", integer(c.calls()),
						message("dashboard.detail.workingDays", p.workingDaysElapsed(), p.workingDays()),
						message("dashboard.target.callsToDate", number(p.calls().target())), p.calls().onTrack()),
				new KpiCard("contactRate", percent(r.contactRate()),
						message("dashboard.detail.contacts", integer(c.contacts()), integer(c.calls())),
						"≥ " + percent(t.contactRate()), p.contactRate().onTrack()),
				new KpiCard("meetings", integer(c.meetings()),
						message("dashboard.detail.meetingRate", percent(r.meetingRate())),
						message("dashboard.target.meetingRate", range(t.meetingRate(), true)), p.meetingRate().onTrack()),
				new KpiCard("hearing", integer(c.hearingItems()),
						message("dashboard.detail.hearingPerContact", decimal(r.hearingPerContact())),
						message("dashboard.target.hearingPerContact", range(t.hearingPerContact(), false)),
						p.hearingPerContact().onTrack()),
				new KpiCard("touchCoverage", percent(r.touchCoverage90d()),
						message("dashboard.detail.touchCoverage", t.touchIntervalDays()),
						message("dashboard.target.touchCoverage", t.touchIntervalDays()), p.touchCoverage90d().onTrack()),
				new KpiCard("opportunityRate", percent(r.opportunityRate()),
						message("dashboard.detail.opportunities", integer(c.opportunities()), integer(c.meetingsHeld())),
						range(t.opportunityRate(), true), p.opportunityRate().onTrack()));
	}

	List<FunnelStep> funnel(KpiCounts c) {
		long[] counts = { c.calls(), c.contacts(), c.meetings(), c.meetingsHeld(), c.opportunities() };
		String[] keys = { "calls", "contacts", "meetings", "meetingsHeld", "opportunities" };
		long widest = 1;
		for (long count : counts) {
			widest = Math.max(widest, count);
		}
		List<FunnelStep> steps = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			int width = (int) Math.round(counts[i] * 100d / widest);
			String conversion = i == 0 ? null : percent(Rates.ratio(counts[i], counts[i - 1]));
			steps.add(new FunnelStep(keys[i], counts[i], width, conversion));
		}
		return steps;
	}

	List<RepRow> repRows(Map<String, KpiCounts> perRep, KpiTargets teamTargets) {
		List<RepRow> rows = new ArrayList<>();
		new TreeMap<>(perRep).forEach((rep, c) -> {
			Rates r = Rates.of(c, null);
			Boolean contactOnTrack = r.contactRate() == null ? null : r.contactRate() >= teamTargets.contactRate();
			rows.add(new RepRow(rep, c.calls(), c.contacts(), percent(r.contactRate()), contactOnTrack, c.meetings(),
					percent(r.meetingRate()), c.hearingItems(), decimal(r.hearingPerContact()), c.meetingsHeld(),
					c.opportunities(), percent(r.opportunityRate())));
		});
		return rows;
	}

	List<ReviewRow> reviews(List<KpiReview> reviews, ZoneId zone) {
		return reviews.stream()
			.map(r -> new ReviewRow(r.from() + " – " + r.to(), r.rep() == null ? message("dashboard.rep.team") : r.rep(),
					r.note(), r.recoveryPlan(), r.createdBy(), STAMP.format(r.createdAt().atZone(zone))))
			.toList();
	}

	/**
	 * A report's series for a chart: points after {@code today} carry the target only, and periods
	 * that are not {@code counted} (days off) no target, so the target line breaks there.
	 */
	static Series series(List<Point> points, LocalDate today, Predicate<LocalDate> counted) {
		List<String> periods = new ArrayList<>();
		List<Long> calls = new ArrayList<>();
		List<Double> target = new ArrayList<>();
		List<Double> contactRate = new ArrayList<>();
		for (Point point : points) {
			boolean future = point.period().isAfter(today);
			periods.add(point.period().toString());
			calls.add(future ? null : point.counts().calls());
			target.add(counted.test(point.period()) ? point.callsTarget() : null);
			Double rate = point.rates().contactRate();
			contactRate.add(future || rate == null ? null : Math.round(rate * 1000) / 10d);
		}
		return new Series(periods, calls, target, contactRate);
	}

	Map<String, String> chartLabels() {
		return Map.of("calls", message("dashboard.chart.calls"), "callsTarget", message("dashboard.chart.callsTarget"),
				"contactRate", message("dashboard.chart.contactRate"), "callsAxis", message("dashboard.chart.callsAxis"),
				"rateAxis", message("dashboard.chart.rateAxis"));
	}

	String message(String code, Object... args) {
		return messages.getMessage(code, args, locale);
	}

	String percent(Double value) {
		if (value == null) {
			return "–";
		}
		NumberFormat format = NumberFormat.getPercentInstance(locale);
		format.setMinimumFractionDigits(1);
		format.setMaximumFractionDigits(1);
		return format.format(value);
	}

	private String decimal(Double value) {
		if (value == null) {
			return "–";
		}
		NumberFormat format = NumberFormat.getNumberInstance(locale);
		format.setMinimumFractionDigits(2);
		format.setMaximumFractionDigits(2);
		return format.format(value);
	}

	private String number(Double value) {
		if (value == null) {
			return "–";
		}
		NumberFormat format = NumberFormat.getNumberInstance(locale);
		format.setMaximumFractionDigits(1);
		return format.format(value);
	}

	private String integer(long value) {
		return NumberFormat.getIntegerInstance(locale).format(value);
	}

	private String range(List<Double> range, boolean percent) {
		return percent ? percent(range.get(0)) + "–" + percent(range.get(1))
				: number(range.get(0)) + "–" + number(range.get(1));
	}

}
