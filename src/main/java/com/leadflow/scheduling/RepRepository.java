package com.leadflow.scheduling;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.leadflow.common.Databases;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Leadflow's settings per rep ({@code lf_rep}); a rep without a row is active with the default capacity. */
@Repository
public class RepRepository {

	public record Rep(String userId, boolean active, Integer dailyCapacity, Instant lastAssignedAt) {
	}

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	RepRepository(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
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

	/**
	 * Whether {@link #lockUnlessHeld} works here: MySQL 8 and MariaDB 10.6 know {@code SKIP LOCKED},
	 * H2 does not.
	 */
	public boolean canSkipLocked() {
		return Databases.supportsSkipLocked(dataSource);
	}

	/**
	 * Locks the rep's row for this transaction unless another transaction holds it (then returns
	 * false at once instead of waiting); false as well when the rep has no row.
	 */
	public boolean lockUnlessHeld(String userId) {
		return jdbc.sql("SELECT user_id FROM lf_rep WHERE user_id = ? FOR UPDATE SKIP LOCKED")
			.param(userId)
			.query(String.class)
			.optional()
			.isPresent();
	}

	private boolean isMySql() {
		return Databases.isMySql(dataSource);
	}

	public void touchAssigned(String userId, Instant at) {
		if (isMySql()) {
			// One atomic upsert: UPDATE-else-INSERT deadlocks on MySQL when concurrent intakes create the
			// same rep's row (the duplicate INSERTs keep shared locks, then all wait to update).
			jdbc.sql("INSERT INTO lf_rep (user_id, active, last_assigned_at) VALUES (?, TRUE, ?) "
					+ "ON DUPLICATE KEY UPDATE last_assigned_at = VALUES(last_assigned_at)")
				.params(userId, ts(at))
				.update();
			return;
		}
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
