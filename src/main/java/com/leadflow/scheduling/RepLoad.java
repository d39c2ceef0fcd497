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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** How much open work reps hold, read from the next-action projection's indexes (assignee, status[, type], due). */
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

	RepLoad(JdbcClient jdbc) {
		this.jdbc = jdbc;
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
	 * {@code untilDay} (exclusive), in one query: grouped by due time in the database (generated calls
	 * share a few times of day), by day here, since the day depends on the team's zone. Every call of
	 * those days is read, from the index alone.
	 */
	Map<LocalDate, Integer> openCallsPerDay(String assignee, LocalDate fromDay, LocalDate untilDay, ZoneId zone) {
		Map<LocalDate, Integer> perDay = new HashMap<>();
		jdbc.sql("SELECT due_at, COUNT(*) AS n FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND type = 'CALL' "
				+ "AND due_at >= ? AND due_at < ? GROUP BY due_at")
			.params(assignee, ts(fromDay.atStartOfDay(zone).toInstant()), ts(untilDay.atStartOfDay(zone).toInstant()))
			.query(rs -> {
				LocalDate day = instant(rs, "due_at").atZone(zone).toLocalDate();
				perDay.merge(day, rs.getInt("n"), Integer::sum);
			});
		return perDay;
	}

	/**
	 * Open actions per assignee due before {@code until} (overdue ones included), each counted up to
	 * {@code limit}: what assignment balances. Assignees without any are absent.
	 *
	 * <p>An intake reads at most assignees x limit + 1 entries of the index on (assignee, status,
	 * due_at), however many open actions the team holds. First one grouped count over all assignees,
	 * stopped after that many entries: when it stops earlier (the usual case: a levelled team holds
	 * about capacity x horizon each), its counts are exact and are cut to the limit here. Only when
	 * it reaches the bound (a large backlog) does a second statement count each assignee up to the
	 * limit: one bounded read per assignee (a statement of one sub-select per assignee costs the
	 * database several times the single grouped count, so it is not the first choice).
	 */
	Map<String, Integer> openActions(List<String> assignees, Instant until, int limit) {
		if (assignees.isEmpty()) {
			return Map.of();
		}
		long bound = (long) assignees.size() * limit + 1;
		Map<String, Integer> open = new HashMap<>();
		long[] read = { 0 };
		jdbc.sql("SELECT assignee, COUNT(*) AS n FROM (SELECT assignee FROM lf_next_action WHERE assignee IN (:assignees) "
				+ "AND status = 'OPEN' AND due_at < :until LIMIT :bound) a GROUP BY assignee")
			.param("assignees", assignees)
			.param("until", ts(until))
			.param("bound", bound)
			.query(rs -> {
				read[0] += rs.getInt("n");
				open.put(rs.getString("assignee"), Math.min(rs.getInt("n"), limit));
			});
		return read[0] < bound ? open : openActionsEachUpTo(assignees, until, limit);
	}

	/** Like {@link #openActions}, in one statement of one bounded read per assignee. */
	private Map<String, Integer> openActionsEachUpTo(List<String> assignees, Instant until, int limit) {
		String sql = IntStream.range(0, assignees.size())
			.mapToObj(i -> "SELECT " + i + " AS rep_no, COUNT(*) AS n FROM (SELECT 1 AS one FROM lf_next_action "
					+ "WHERE assignee = ? AND status = 'OPEN' AND due_at < ? LIMIT ?) a" + i)
			.collect(Collectors.joining(" UNION ALL "));
		List<Object> params = new ArrayList<>(assignees.size() * 3);
		for (String assignee : assignees) {
			params.addAll(List.of(assignee, ts(until), limit));
		}
		Map<String, Integer> open = new HashMap<>();
		jdbc.sql(sql).params(params).query(rs -> {
			int n = rs.getInt("n");
			if (n > 0) {
				open.put(assignees.get(rs.getInt("rep_no")), n);
			}
		});
		return open;
	}

}
