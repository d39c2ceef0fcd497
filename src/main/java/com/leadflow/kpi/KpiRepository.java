package com.leadflow.kpi;

import static com.leadflow.common.Sql.ts;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.leadflow.common.Databases;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The daily KPI counters ({@code lf_kpi_day}), targets and review notes. */
@Repository
class KpiRepository {

	private static final String SUMS = "COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(contacts), 0) AS contacts, "
			+ "COALESCE(SUM(meetings), 0) AS meetings, COALESCE(SUM(hearing_items), 0) AS hearing_items, "
			+ "COALESCE(SUM(emails), 0) AS emails, COALESCE(SUM(handoffs), 0) AS handoffs, "
			+ "COALESCE(SUM(meetings_held), 0) AS meetings_held, COALESCE(SUM(opportunities), 0) AS opportunities";

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	KpiRepository(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	/** Adds to a rep's counters of a day; a row is created the first time. */
	void add(LocalDate day, String rep, String route, KpiCounts c) {
		if (Databases.isMySql(dataSource)) {
			// One atomic upsert: the UPDATE-else-INSERT below deadlocks on MySQL when several transactions
			// create the same day's row at once (each duplicate INSERT keeps a shared lock, then all of them
			// wait to update it). Seen in the benchmark with concurrent completions.
			jdbc.sql("INSERT INTO lf_kpi_day (event_day, rep, route, calls, contacts, meetings, hearing_items, emails, "
					+ "handoffs, meetings_held, opportunities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
					+ "calls = calls + VALUES(calls), contacts = contacts + VALUES(contacts), meetings = meetings + VALUES(meetings), "
					+ "hearing_items = hearing_items + VALUES(hearing_items), emails = emails + VALUES(emails), "
					+ "handoffs = handoffs + VALUES(handoffs), meetings_held = meetings_held + VALUES(meetings_held), "
					+ "opportunities = opportunities + VALUES(opportunities)")
				.params(Date.valueOf(day), rep, route, c.calls(), c.contacts(), c.meetings(), c.hearingItems(), c.emails(),
						c.handoffs(), c.meetingsHeld(), c.opportunities())
				.update();
			return;
		}
		String update = "UPDATE lf_kpi_day SET calls = calls + ?, contacts = contacts + ?, meetings = meetings + ?, "
				+ "hearing_items = hearing_items + ?, emails = emails + ?, handoffs = handoffs + ?, "
				+ "meetings_held = meetings_held + ?, opportunities = opportunities + ? "
				+ "WHERE event_day = ? AND rep = ? AND route = ?";
		Object[] params = { c.calls(), c.contacts(), c.meetings(), c.hearingItems(), c.emails(), c.handoffs(),
				c.meetingsHeld(), c.opportunities(), Date.valueOf(day), rep, route };
		if (jdbc.sql(update).params(params).update() == 1) {
			return;
		}
		try {
			jdbc.sql("INSERT INTO lf_kpi_day (event_day, rep, route, calls, contacts, meetings, hearing_items, emails, "
					+ "handoffs, meetings_held, opportunities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(Date.valueOf(day), rep, route, c.calls(), c.contacts(), c.meetings(), c.hearingItems(), c.emails(),
						c.handoffs(), c.meetingsHeld(), c.opportunities())
				.update();
		}
		catch (DuplicateKeyException raced) {
			jdbc.sql(update).params(params).update();
		}
	}

	KpiCounts sum(LocalDate from, LocalDate to, String rep) {
		StringBuilder sql = new StringBuilder("SELECT " + SUMS + " FROM lf_kpi_day WHERE event_day >= ? AND event_day <= ?");
		if (rep != null) {
			sql.append(" AND rep = ?");
		}
		JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param(Date.valueOf(from)).param(Date.valueOf(to));
		if (rep != null) {
			spec = spec.param(rep);
		}
		return spec.query(KpiRepository::counts).single();
	}

	record DayCounts(LocalDate day, KpiCounts counts) {
	}

	List<DayCounts> perDay(LocalDate from, LocalDate to, String rep) {
		StringBuilder sql = new StringBuilder(
				"SELECT event_day, " + SUMS + " FROM lf_kpi_day WHERE event_day >= ? AND event_day <= ?");
		if (rep != null) {
			sql.append(" AND rep = ?");
		}
		sql.append(" GROUP BY event_day ORDER BY event_day");
		JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param(Date.valueOf(from)).param(Date.valueOf(to));
		if (rep != null) {
			spec = spec.param(rep);
		}
		return spec.query((rs, n) -> new DayCounts(rs.getDate("event_day").toLocalDate(), counts(rs, n))).list();
	}

	record RepCounts(String rep, KpiCounts counts) {
	}

	List<RepCounts> perRep(LocalDate from, LocalDate to) {
		return jdbc.sql("SELECT rep, " + SUMS + " FROM lf_kpi_day WHERE event_day >= ? AND event_day <= ? GROUP BY rep ORDER BY rep")
			.param(Date.valueOf(from))
			.param(Date.valueOf(to))
			.query((rs, n) -> new RepCounts(rs.getString("rep"), counts(rs, n)))
			.list();
	}

	Optional<KpiTargets> target(String quarter, String rep) {
		return jdbc.sql("SELECT * FROM lf_kpi_target WHERE quarter = ? AND rep = ?")
			.params(quarter, rep)
			.query(KpiRepository::targets)
			.optional();
	}

	/** Every target set for a quarter, by rep (the team's under {@link KpiService#TEAM}). */
	Map<String, KpiTargets> targets(String quarter) {
		Map<String, KpiTargets> all = new HashMap<>();
		jdbc.sql("SELECT * FROM lf_kpi_target WHERE quarter = ?")
			.param(quarter)
			.query((rs, n) -> all.put(rs.getString("rep"), targets(rs, n)))
			.list();
		return all;
	}

	private static KpiTargets targets(ResultSet rs, int n) throws SQLException {
		return new KpiTargets(rs.getInt("calls_per_day"), rs.getDouble("contact_rate"),
				List.of(rs.getDouble("meeting_rate_min"), rs.getDouble("meeting_rate_max")),
				List.of(rs.getDouble("hearing_min"), rs.getDouble("hearing_max")), rs.getInt("touch_interval_days"),
				List.of(rs.getDouble("opportunity_rate_min"), rs.getDouble("opportunity_rate_max")));
	}

	void saveTarget(String quarter, String rep, KpiTargets t, String by, Instant at) {
		Object[] values = { t.callsPerDay(), t.contactRate(), t.meetingRate().get(0), t.meetingRate().get(1),
				t.hearingPerContact().get(0), t.hearingPerContact().get(1), t.touchIntervalDays(),
				t.opportunityRate().get(0), t.opportunityRate().get(1), by, ts(at), quarter, rep };
		int updated = jdbc.sql("UPDATE lf_kpi_target SET calls_per_day = ?, contact_rate = ?, meeting_rate_min = ?, "
				+ "meeting_rate_max = ?, hearing_min = ?, hearing_max = ?, touch_interval_days = ?, opportunity_rate_min = ?, "
				+ "opportunity_rate_max = ?, updated_by = ?, updated_at = ? WHERE quarter = ? AND rep = ?")
			.params(values)
			.update();
		if (updated == 0) {
			jdbc.sql("INSERT INTO lf_kpi_target (calls_per_day, contact_rate, meeting_rate_min, meeting_rate_max, "
					+ "hearing_min, hearing_max, touch_interval_days, opportunity_rate_min, opportunity_rate_max, updated_by, "
					+ "updated_at, quarter, rep) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(values)
				.update();
		}
	}

	void saveReview(KpiReview review) {
		jdbc.sql("INSERT INTO lf_kpi_review (id, period_from, period_to, rep, note, recovery_plan, created_by, created_at) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
			.params(review.id(), Date.valueOf(review.from()), Date.valueOf(review.to()), review.rep(), review.note(),
					review.recoveryPlan(), review.createdBy(), ts(review.createdAt()))
			.update();
	}

	List<KpiReview> reviews(LocalDate from, LocalDate to, String rep) {
		StringBuilder sql = new StringBuilder("SELECT * FROM lf_kpi_review WHERE period_to >= ? AND period_from <= ?");
		if (rep != null) {
			sql.append(" AND (rep = ? OR rep IS NULL)");
		}
		sql.append(" ORDER BY created_at DESC, id DESC");
		JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param(Date.valueOf(from)).param(Date.valueOf(to));
		if (rep != null) {
			spec = spec.param(rep);
		}
		return spec.query((rs, n) -> new KpiReview(rs.getString("id"), rs.getDate("period_from").toLocalDate(),
				rs.getDate("period_to").toLocalDate(), rs.getString("rep"), rs.getString("note"),
				rs.getString("recovery_plan"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	private static KpiCounts counts(ResultSet rs, int n) throws SQLException {
		return new KpiCounts(rs.getLong("calls"), rs.getLong("contacts"), rs.getLong("meetings"),
				rs.getLong("hearing_items"), rs.getLong("emails"), rs.getLong("handoffs"), rs.getLong("meetings_held"),
				rs.getLong("opportunities"));
	}

}
