package com.leadflow.web.inbox;

import static com.leadflow.common.Sql.instant;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The latest recorded outcome of each lead on an inbox page, read in one query from the history
 * (indexed by lead) instead of one history read per row.
 */
@Repository
class LastOutcomes {

	record Last(String outcome, Instant at) {
	}

	private final JdbcClient jdbc;

	LastOutcomes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Map<String, Last> of(Collection<String> leadIds) {
		Map<String, Last> last = new HashMap<>();
		if (leadIds.isEmpty()) {
			return last;
		}
		// History ids grow with time (the history itself is read ordered by id), so the last row wins.
		jdbc.sql("SELECT lead_id, outcome, occurred_at FROM lf_lead_event WHERE lead_id IN (:ids) "
				+ "AND type IN ('ACTION_COMPLETED', 'CONTENT_SENT', 'MEETING_HELD') AND outcome IS NOT NULL ORDER BY id")
			.param("ids", leadIds)
			.query(rs -> {
				last.put(rs.getString("lead_id"), new Last(rs.getString("outcome"), instant(rs, "occurred_at")));
			});
		return last;
	}

}
