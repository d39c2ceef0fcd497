package com.leadflow.scheduling;

import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.Collection;
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
