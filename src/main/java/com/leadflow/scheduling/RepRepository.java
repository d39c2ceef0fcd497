package com.leadflow.scheduling;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Leadflow's settings per rep ({@code lf_rep}); a rep without a row is active with the default capacity. */
@Repository
public class RepRepository {

	public record Rep(String userId, boolean active, Integer dailyCapacity, Instant lastAssignedAt) {
	}

	private final JdbcClient jdbc;

	RepRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Rep> find(String userId) {
		return jdbc.sql("SELECT * FROM lf_rep WHERE user_id = ?")
			.param(userId)
			.query((rs, n) -> new Rep(rs.getString("user_id"), rs.getBoolean("active"),
					(Integer) rs.getObject("daily_capacity", Integer.class), instant(rs, "last_assigned_at")))
			.optional();
	}

	public List<Rep> findAll(Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("SELECT * FROM lf_rep WHERE user_id IN (:ids)")
			.param("ids", userIds)
			.query((rs, n) -> new Rep(rs.getString("user_id"), rs.getBoolean("active"),
					(Integer) rs.getObject("daily_capacity", Integer.class), instant(rs, "last_assigned_at")))
			.list();
	}

	public void save(String userId, boolean active, Integer dailyCapacity) {
		int updated = jdbc.sql("UPDATE lf_rep SET active = ?, daily_capacity = ? WHERE user_id = ?")
			.params(active, dailyCapacity, userId)
			.update();
		if (updated == 0) {
			jdbc.sql("INSERT INTO lf_rep (user_id, active, daily_capacity) VALUES (?, ?, ?)")
				.params(userId, active, dailyCapacity)
				.update();
		}
	}

	public void touchAssigned(String userId, Instant at) {
		int updated = jdbc.sql("UPDATE lf_rep SET last_assigned_at = ? WHERE user_id = ?").params(ts(at), userId).update();
		if (updated == 0) {
			try {
				jdbc.sql("INSERT INTO lf_rep (user_id, active, last_assigned_at) VALUES (?, TRUE, ?)")
					.params(userId, ts(at))
					.update();
			}
			catch (DuplicateKeyException raced) {
				jdbc.sql("UPDATE lf_rep SET last_assigned_at = ? WHERE user_id = ?").params(ts(at), userId).update();
			}
		}
	}

}
