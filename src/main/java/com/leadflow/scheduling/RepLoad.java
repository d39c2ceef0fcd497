package com.leadflow.scheduling;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** How much open work reps hold, read from the next-action projection (indexed by assignee, status, due). */
@Repository
class RepLoad {

	private final JdbcClient jdbc;

	RepLoad(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Open CALL actions of a rep due in [from, to): what capacity leveling looks at. */
	int openCalls(String assignee, Instant from, Instant to) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND type = 'CALL' "
				+ "AND due_at >= ? AND due_at < ?")
			.params(assignee, ts(from), ts(to))
			.query(Integer.class)
			.single();
	}

	/**
	 * Open CALL actions of a rep per day of {@code zone} from {@code fromDay} (inclusive) to
	 * {@code untilDay} (exclusive), in one query: grouped by due time in the database (generated calls
	 * share a few times of day), by day here, since the day depends on the team's zone.
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

	/** Open actions per assignee due before {@code until}: what assignment balances. */
	Map<String, Integer> openActions(Collection<String> assignees, Instant until) {
		if (assignees.isEmpty()) {
			return Map.of();
		}
		return jdbc.sql("SELECT assignee, COUNT(*) AS n FROM lf_next_action WHERE assignee IN (:assignees) "
				+ "AND status = 'OPEN' AND due_at < :until GROUP BY assignee")
			.param("assignees", assignees)
			.param("until", ts(until))
			.query((rs, row) -> Map.entry(rs.getString("assignee"), rs.getInt("n")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
