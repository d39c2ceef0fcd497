package com.leadflow.scheduling;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.leadflow.audit.AuditLedger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * How much open work reps hold: calls of the next few days from the next-action projection's index
 * (assignee, status, type, due), calls of later days and open actions per rep from the audit ledger's
 * counters.
 */
@Repository
class RepLoad {

	/** An open CALL of a rep due in [?, ?), at most ? of them: read from the index on (assignee, status, type, due_at). */
	private static final String CALLS_OF_DAY = "SELECT 1 AS one FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' "
			+ "AND type = 'CALL' AND due_at >= ? AND due_at < ? LIMIT ?";

	/** Days counted one by one, each up to a limit, by {@link #openCallsPerDay(String, LocalDate, ZoneId, int)}. */
	static final int DAYS_COUNTED_SINGLY = 7;

	private static final String CALLS_PER_DAY = IntStream.range(0, DAYS_COUNTED_SINGLY)
		.mapToObj(d -> "SELECT " + d + " AS day_no, COUNT(*) AS n FROM (" + CALLS_OF_DAY + ") d" + d)
		.collect(Collectors.joining(" UNION ALL "));

	private final JdbcClient jdbc;

	private final AuditLedger ledger;

	RepLoad(JdbcClient jdbc, AuditLedger ledger) {
		this.jdbc = jdbc;
		this.ledger = ledger;
	}

	/**
	 * Open CALL actions of a rep due in [from, to), counted up to {@code limit}: what capacity levelling
	 * looks at. Levelling only asks whether a day is full, so it never needs to read more than the
	 * capacity of a day, however many calls an overfull day holds.
	 */
	int openCalls(String assignee, Instant from, Instant to, int limit) {
		return jdbc.sql("SELECT COUNT(*) FROM (" + CALLS_OF_DAY + ") d")
			.params(assignee, ts(from), ts(to), limit)
			.query(Integer.class)
			.single();
	}

	/**
	 * Open CALL actions of a rep on each of the {@value #DAYS_COUNTED_SINGLY} days of {@code zone} from
	 * {@code fromDay}, each counted up to {@code limit}, in one statement (one bounded index read per day).
	 * Days without calls are absent.
	 */
	Map<LocalDate, Integer> openCallsPerDay(String assignee, LocalDate fromDay, ZoneId zone, int limit) {
		List<Object> params = new ArrayList<>(DAYS_COUNTED_SINGLY * 4);
		for (int d = 0; d < DAYS_COUNTED_SINGLY; d++) {
			LocalDate day = fromDay.plusDays(d);
			params.addAll(List.of(assignee, ts(day.atStartOfDay(zone).toInstant()),
					ts(day.plusDays(1).atStartOfDay(zone).toInstant()), limit));
		}
		Map<LocalDate, Integer> perDay = new HashMap<>();
		jdbc.sql(CALLS_PER_DAY).params(params).query(rs -> {
			int n = rs.getInt("n");
			if (n > 0) {
				perDay.put(fromDay.plusDays(rs.getInt("day_no")), n);
			}
		});
		return perDay;
	}

	/**
	 * Open CALL actions of a rep per day of {@code zone} from {@code fromDay} (inclusive) to
	 * {@code untilDay} (exclusive), in one query. Days without calls are absent.
	 *
	 * <p>Read from the call counters the audit's ledger keeps in the transaction that opens, closes or
	 * moves an action ({@code lf_audit_call_count}: open calls per assignee and due hour, checked against
	 * a recount by the audit's full check), plus this transaction's own changes not written yet. Levelled
	 * calls share the hour their day starts at, so a day is a row or a few, however many calls it holds.
	 * When a day of the zone does not start on a whole hour (a zone off the whole hour), hours straddle
	 * days and the calls are read from the index instead: grouped by due time in the database (generated
	 * calls share a few times of day), by day here.
	 */
	Map<LocalDate, Integer> openCallsPerDay(String assignee, LocalDate fromDay, LocalDate untilDay, ZoneId zone) {
		Map<LocalDate, Integer> perDay = new HashMap<>();
		Instant from = fromDay.atStartOfDay(zone).toInstant();
		Instant until = untilDay.atStartOfDay(zone).toInstant();
		boolean daysStartOnTheHour = fromDay.datesUntil(untilDay.plusDays(1))
			.map(day -> day.atStartOfDay(zone).toInstant())
			.allMatch(start -> AuditLedger.hourStart(AuditLedger.hour(start)).equals(start));
		if (daysStartOnTheHour) {
			long fromHour = AuditLedger.hour(from);
			long untilHour = AuditLedger.hour(until);
			Map<Long, Long> perHour = new HashMap<>(ledger.unwritten(AuditLedger.Kind.CALLS, assignee));
			jdbc.sql("SELECT hour_no, n FROM lf_audit_call_count WHERE owner = ? AND hour_no >= ? AND hour_no < ?")
				.params(assignee, fromHour, untilHour)
				.query(rs -> {
					perHour.merge(rs.getLong("hour_no"), rs.getLong("n"), Long::sum);
				});
			perHour.forEach((hour, n) -> {
				if (hour >= fromHour && hour < untilHour) {
					perDay.merge(AuditLedger.hourStart(hour).atZone(zone).toLocalDate(), (int) (long) n, Integer::sum);
				}
			});
			perDay.values().removeIf(n -> n <= 0);
			return perDay;
		}
		jdbc.sql("SELECT due_at, COUNT(*) AS n FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND type = 'CALL' "
				+ "AND due_at >= ? AND due_at < ? GROUP BY due_at")
			.params(assignee, ts(from), ts(until))
			.query(rs -> {
				LocalDate day = instant(rs, "due_at").atZone(zone).toLocalDate();
				perDay.merge(day, rs.getInt("n"), Integer::sum);
			});
		return perDay;
	}

	/**
	 * Open actions per assignee due before {@code until} (overdue ones included): what assignment
	 * balances. Assignees without any are absent.
	 *
	 * <p>Read from the load counters the audit's ledger keeps in the transaction that opens, closes or
	 * moves an action ({@code lf_audit_assigned_count}: open actions per assignee and due hour, checked
	 * against a recount by the audit's full check): the sum of the hours before {@code until}'s own
	 * hour, plus, when {@code until} falls inside an hour (a team zone off the whole hour), one indexed
	 * count of that hour's part before it, plus this transaction's own changes not written yet. So an
	 * intake reads a few rows per rep and due hour, however many open actions the team holds.
	 */
	Map<String, Integer> openActions(List<String> assignees, Instant until) {
		if (assignees.isEmpty()) {
			return Map.of();
		}
		long hour = AuditLedger.hour(until);
		Map<String, Integer> open = new HashMap<>();
		jdbc.sql("SELECT owner, SUM(n) AS n FROM lf_audit_assigned_count WHERE owner IN (:assignees) AND hour_no < :hour "
				+ "GROUP BY owner")
			.param("assignees", assignees)
			.param("hour", hour)
			.query(rs -> {
				open.merge(rs.getString("owner"), rs.getInt("n"), Integer::sum);
			});
		Instant hourStart = AuditLedger.hourStart(hour);
		if (until.isAfter(hourStart)) {
			jdbc.sql("SELECT assignee, COUNT(*) AS n FROM lf_next_action WHERE assignee IN (:assignees) AND status = 'OPEN' "
					+ "AND due_at >= :from AND due_at < :until GROUP BY assignee")
				.param("assignees", assignees)
				.param("from", ts(hourStart))
				.param("until", ts(until))
				.query(rs -> {
					open.merge(rs.getString("assignee"), rs.getInt("n"), Integer::sum);
				});
		}
		for (String assignee : assignees) {
			ledger.unwritten(AuditLedger.Kind.ASSIGNED, assignee).forEach((h, delta) -> {
				if (h < hour) {
					open.merge(assignee, (int) (long) delta, Integer::sum);
				}
			});
		}
		open.values().removeIf(n -> n <= 0);
		return open;
	}

}
