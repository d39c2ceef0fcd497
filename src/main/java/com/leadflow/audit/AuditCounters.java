package com.leadflow.audit;

import static com.leadflow.audit.AuditLedger.hour;
import static com.leadflow.audit.AuditLedger.hourStart;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.leadflow.audit.AuditLedger.Kind;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the audit's counters ({@link AuditLedger}) and checks them against a recount.
 *
 * <p>A figure is a sum over a few hundred counter rows plus, for the time-based ones, one indexed
 * count of the current hour: {@code overdue} = open actions of the due hours before the current one
 * (counters) + open actions due in the current hour before now (counted); {@code untouched} likewise
 * at the cut-off 90 days back.
 *
 * <p>A correction locks the counter rows of one key (all shards, created first so no writer can add
 * a row beside them), counts the source rows after the lock is held, and writes the count: a writer
 * whose change was committed is counted, one still running waits for the lock and adds its delta on
 * top afterwards. So a correction is exact even while leads and actions keep changing.
 */
@Repository
class AuditCounters {

	private static final String ACTIVE = "status IN ('ACTIVE', 'HANDED_OFF')";

	private final JdbcClient jdbc;

	private final AuditLedger ledger;

	AuditCounters(JdbcClient jdbc, AuditLedger ledger) {
		this.jdbc = jdbc;
		this.ledger = ledger;
	}

	long activeLeads() {
		return jdbc.sql("SELECT COALESCE(SUM(n), 0) FROM lf_audit_owner_count").query(Long.class).single();
	}

	/** Active leads whose owner is marked inactive or is not a member of the reps group (or who have none). */
	long inactiveOwnerLeads() {
		return jdbc.sql("SELECT COALESCE(SUM(c.n), 0) FROM lf_audit_owner_count c WHERE "
				+ "EXISTS (SELECT 1 FROM lf_rep r WHERE r.user_id = c.owner AND r.active = FALSE) "
				+ "OR NOT EXISTS (SELECT 1 FROM ACT_ID_MEMBERSHIP m WHERE m.USER_ID_ = c.owner AND m.GROUP_ID_ = 'reps')")
			.query(Long.class)
			.single();
	}

	/** Active leads of an owner ('' = none; null = all). */
	long activeLeads(String owner) {
		if (owner == null) {
			return activeLeads();
		}
		return jdbc.sql("SELECT COALESCE(SUM(n), 0) FROM lf_audit_owner_count WHERE owner = ?")
			.param(owner)
			.query(Long.class)
			.single();
	}

	/**
	 * Active leads of an owner ('' = none; null = all) whose last individual touch is at or after
	 * {@code since}: the counters of the later hours plus a count of the leads touched in since's own hour.
	 */
	long touchedSince(String owner, Instant since) {
		long h = hour(since);
		long later = jdbc.sql("SELECT COALESCE(SUM(n), 0) FROM lf_audit_touch_count WHERE owner = ? AND hour_no > ?")
			.params(owner == null ? AuditLedger.ALL_OWNERS : owner, h)
			.query(Long.class)
			.single();
		return later + touchedIn(owner, since, hourStart(h + 1));
	}

	/** Active leads of an owner ('' = none; null = all) whose last individual touch is in [from, to). */
	private long touchedIn(String owner, Instant from, Instant to) {
		String sql = "SELECT COUNT(*) FROM lf_lead WHERE " + ACTIVE + " AND last_touch_at >= ? AND last_touch_at < ?";
		if (owner == null) {
			return jdbc.sql(sql).params(ts(from), ts(to)).query(Long.class).single();
		}
		if (owner.isEmpty()) {
			return jdbc.sql(sql + " AND owner IS NULL").params(ts(from), ts(to)).query(Long.class).single();
		}
		return jdbc.sql(sql + " AND owner = ?").params(ts(from), ts(to), owner).query(Long.class).single();
	}

	/** Open actions due before {@code now}. */
	long overdue(Instant now) {
		long h = hour(now);
		long partial = jdbc.sql("SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN' AND due_at >= ? AND due_at < ?")
			.params(ts(hourStart(h)), ts(now))
			.query(Long.class)
			.single();
		return sumBefore(Kind.DUE, h) + partial;
	}

	/** Active leads last touched (never touched: created) before {@code before}. */
	long untouched(Instant before) {
		long h = hour(before);
		return sumBefore(Kind.TOUCH, h) + touchedBetween(hourStart(h), before);
	}

	private long sumBefore(Kind kind, long hour) {
		return jdbc.sql("SELECT COALESCE(SUM(n), 0) FROM lf_audit_hour_count WHERE kind = ? AND hour_no < ?")
			.params(kind.name(), hour)
			.query(Long.class)
			.single();
	}

	/** Active leads whose last touch (or creation, never touched) is in [from, to). */
	private long touchedBetween(Instant from, Instant to) {
		long touched = jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE " + ACTIVE + " AND last_touch_at >= ? AND last_touch_at < ?")
			.params(ts(from), ts(to))
			.query(Long.class)
			.single();
		long created = jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE created_at >= ? AND created_at < ? "
				+ "AND last_touch_at IS NULL AND " + ACTIVE)
			.params(ts(from), ts(to))
			.query(Long.class)
			.single();
		return touched + created;
	}

	// ------------------------------------------------------------------------------------------ checks

	/** A counter's key: the owner ({@code kind} null), a kind and hour, or (TOUCHED, ASSIGNED, CALLS) an owner and hour. */
	record Key(Kind kind, String owner, long hour) {

		String table() {
			if (kind == null) {
				return "lf_audit_owner_count";
			}
			return switch (kind) {
				case TOUCHED -> "lf_audit_touch_count";
				case ASSIGNED -> "lf_audit_assigned_count";
				case CALLS -> "lf_audit_call_count";
				default -> "lf_audit_hour_count";
			};
		}

		/** Whether the key's rows are keyed by owner and hour (no kind column). */
		boolean byOwnerAndHour() {
			return kind == Kind.TOUCHED || kind == Kind.ASSIGNED || kind == Kind.CALLS;
		}

		String where() {
			return kind == null ? "owner = :owner"
					: byOwnerAndHour() ? "owner = :owner AND hour_no = :hour" : "kind = :kind AND hour_no = :hour";
		}

		/** How many shards the key's rows are spread over. */
		int shards() {
			return kind == Kind.ASSIGNED || kind == Kind.CALLS ? 1 : AuditLedger.SHARDS;
		}

	}

	/** The counters as stored, summed over shards. */
	Map<Key, Long> stored() {
		Map<Key, Long> stored = new HashMap<>();
		jdbc.sql("SELECT owner, SUM(n) AS n FROM lf_audit_owner_count GROUP BY owner")
			.query((rs, i) -> stored.put(new Key(null, rs.getString("owner"), 0), rs.getLong("n")))
			.list();
		jdbc.sql("SELECT kind, hour_no, SUM(n) AS n FROM lf_audit_hour_count GROUP BY kind, hour_no")
			.query((rs, i) -> stored.put(new Key(Kind.valueOf(rs.getString("kind")), null, rs.getLong("hour_no")),
					rs.getLong("n")))
			.list();
		jdbc.sql("SELECT owner, hour_no, SUM(n) AS n FROM lf_audit_touch_count GROUP BY owner, hour_no")
			.query((rs, i) -> stored.put(new Key(Kind.TOUCHED, rs.getString("owner"), rs.getLong("hour_no")), rs.getLong("n")))
			.list();
		for (Kind kind : List.of(Kind.ASSIGNED, Kind.CALLS)) {
			jdbc.sql("SELECT owner, hour_no, SUM(n) AS n FROM " + new Key(kind, null, 0).table() + " GROUP BY owner, hour_no")
				.query((rs, i) -> stored.put(new Key(kind, rs.getString("owner"), rs.getLong("hour_no")), rs.getLong("n")))
				.list();
		}
		return stored;
	}

	/** The same figures counted from lf_lead and lf_next_action (a scan: for the scheduled check only). */
	Map<Key, Long> recount() {
		Map<Key, Long> counted = new HashMap<>();
		jdbc.sql("SELECT COALESCE(owner, '') AS owner, COUNT(*) AS n FROM lf_lead WHERE " + ACTIVE
				+ " GROUP BY COALESCE(owner, '')")
			.query((rs, i) -> counted.put(new Key(null, rs.getString("owner"), 0), rs.getLong("n")))
			.list();
		String due = "TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', due_at)";
		jdbc.sql("SELECT " + due + " AS h, COUNT(*) AS n FROM lf_next_action WHERE status = 'OPEN' GROUP BY " + due)
			.query((rs, i) -> counted.put(new Key(Kind.DUE, null, rs.getLong("h")), rs.getLong("n")))
			.list();
		String touch = "TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', COALESCE(last_touch_at, created_at))";
		jdbc.sql("SELECT " + touch + " AS h, COUNT(*) AS n FROM lf_lead WHERE " + ACTIVE + " GROUP BY " + touch)
			.query((rs, i) -> counted.put(new Key(Kind.TOUCH, null, rs.getLong("h")), rs.getLong("n")))
			.list();
		String touched = "TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', last_touch_at)";
		String touchedLeads = " FROM lf_lead WHERE " + ACTIVE + " AND last_touch_at IS NOT NULL GROUP BY ";
		jdbc.sql("SELECT COALESCE(owner, '') AS owner, " + touched + " AS h, COUNT(*) AS n" + touchedLeads
				+ "COALESCE(owner, ''), " + touched)
			.query((rs, i) -> counted.put(new Key(Kind.TOUCHED, rs.getString("owner"), rs.getLong("h")), rs.getLong("n")))
			.list();
		jdbc.sql("SELECT " + touched + " AS h, COUNT(*) AS n" + touchedLeads + touched)
			.query((rs, i) -> counted.put(new Key(Kind.TOUCHED, AuditLedger.ALL_OWNERS, rs.getLong("h")), rs.getLong("n")))
			.list();
		jdbc.sql("SELECT assignee, " + due + " AS h, COUNT(*) AS n FROM lf_next_action WHERE status = 'OPEN' "
				+ "AND assignee IS NOT NULL GROUP BY assignee, " + due)
			.query((rs, i) -> counted.put(new Key(Kind.ASSIGNED, rs.getString("assignee"), rs.getLong("h")), rs.getLong("n")))
			.list();
		jdbc.sql("SELECT assignee, " + due + " AS h, COUNT(*) AS n FROM lf_next_action WHERE status = 'OPEN' "
				+ "AND type = 'CALL' AND assignee IS NOT NULL GROUP BY assignee, " + due)
			.query((rs, i) -> counted.put(new Key(Kind.CALLS, rs.getString("assignee"), rs.getLong("h")), rs.getLong("n")))
			.list();
		return counted;
	}

	/** Keys whose stored sum differs from the recount (either may be missing: zero). */
	static Set<Key> differing(Map<Key, Long> stored, Map<Key, Long> counted) {
		Set<Key> keys = new HashSet<>(stored.keySet());
		keys.addAll(counted.keySet());
		keys.removeIf(k -> stored.getOrDefault(k, 0L).longValue() == counted.getOrDefault(k, 0L).longValue());
		return keys;
	}

	/** Keys whose rows all hold zero (left behind by closed actions and touched leads). */
	List<Key> empty(int limit) {
		List<Key> keys = new ArrayList<>();
		jdbc.sql("SELECT kind, hour_no FROM lf_audit_hour_count GROUP BY kind, hour_no HAVING MAX(ABS(n)) = 0 LIMIT " + limit)
			.query((rs, i) -> keys.add(new Key(Kind.valueOf(rs.getString("kind")), null, rs.getLong("hour_no"))))
			.list();
		jdbc.sql("SELECT owner FROM lf_audit_owner_count GROUP BY owner HAVING MAX(ABS(n)) = 0 LIMIT " + limit)
			.query((rs, i) -> keys.add(new Key(null, rs.getString("owner"), 0)))
			.list();
		jdbc.sql("SELECT owner, hour_no FROM lf_audit_touch_count GROUP BY owner, hour_no HAVING MAX(ABS(n)) = 0 LIMIT " + limit)
			.query((rs, i) -> keys.add(new Key(Kind.TOUCHED, rs.getString("owner"), rs.getLong("hour_no"))))
			.list();
		for (Kind kind : List.of(Kind.ASSIGNED, Kind.CALLS)) {
			jdbc.sql("SELECT owner, hour_no FROM " + new Key(kind, null, 0).table() + " WHERE n = 0 LIMIT " + limit)
				.query((rs, i) -> keys.add(new Key(kind, rs.getString("owner"), rs.getLong("hour_no"))))
				.list();
		}
		return keys;
	}

	/**
	 * Corrects one key (call in a transaction of its own): locks its rows, recounts, writes the count.
	 * Returns the difference found under the lock (0: the counter was right).
	 */
	long correct(Key key) {
		String table = key.table();
		String where = key.where();
		for (int shard = 0; shard < key.shards(); shard++) {
			ensureRow(key, shard);
		}
		List<Long> rows = bind(jdbc.sql("SELECT n FROM " + table + " WHERE " + where + " ORDER BY shard FOR UPDATE"), key)
			.query(Long.class)
			.list();
		long stored = rows.stream().mapToLong(Long::longValue).sum();
		long counted = count(key);
		if (counted == 0) {
			bind(jdbc.sql("DELETE FROM " + table + " WHERE " + where), key).update();
		}
		else if (counted != stored) {
			bind(jdbc.sql("UPDATE " + table + " SET n = CASE WHEN shard = 0 THEN :n ELSE 0 END WHERE " + where), key)
				.param("n", counted)
				.update();
		}
		return counted - stored;
	}

	private long count(Key key) {
		if (key.kind() == null) {
			String owner = key.owner().isEmpty() ? "owner IS NULL" : "owner = ?";
			JdbcClient.StatementSpec spec = jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE " + owner + " AND " + ACTIVE);
			return (key.owner().isEmpty() ? spec : spec.param(key.owner())).query(Long.class).single();
		}
		Instant from = hourStart(key.hour());
		Instant to = hourStart(key.hour() + 1);
		if (key.kind() == Kind.TOUCHED) {
			return touchedIn(AuditLedger.ALL_OWNERS.equals(key.owner()) ? null : key.owner(), from, to);
		}
		if (key.kind() == Kind.DUE) {
			return jdbc.sql("SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN' AND due_at >= ? AND due_at < ?")
				.params(ts(from), ts(to))
				.query(Long.class)
				.single();
		}
		if (key.kind() == Kind.ASSIGNED || key.kind() == Kind.CALLS) {
			return jdbc.sql("SELECT COUNT(*) FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND due_at >= ? "
					+ "AND due_at < ?" + (key.kind() == Kind.CALLS ? " AND type = 'CALL'" : ""))
				.params(key.owner(), ts(from), ts(to))
				.query(Long.class)
				.single();
		}
		return touchedBetween(from, to);
	}

	/** Creates the key's row of a shard if missing (taking its lock), without changing an existing one. */
	private void ensureRow(Key key, int shard) {
		String insert = key.kind() == null ? "INSERT INTO lf_audit_owner_count (owner, shard, n) VALUES (:owner, :shard, 0)"
				: key.byOwnerAndHour()
						? "INSERT INTO " + key.table() + " (owner, hour_no, shard, n) VALUES (:owner, :hour, :shard, 0)"
						: "INSERT INTO lf_audit_hour_count (kind, hour_no, shard, n) VALUES (:kind, :hour, :shard, 0)";
		if (ledger.isMySql()) {
			bind(jdbc.sql(insert + " ON DUPLICATE KEY UPDATE n = n"), key).param("shard", shard).update();
			return;
		}
		try {
			bind(jdbc.sql(insert), key).param("shard", shard).update();
		}
		catch (DuplicateKeyException exists) {
			// Locked below with the others.
		}
	}

	private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, Key key) {
		if (key.kind() == null) {
			return spec.param("owner", key.owner());
		}
		if (key.byOwnerAndHour()) {
			return spec.param("owner", key.owner()).param("hour", key.hour());
		}
		return spec.param("kind", key.kind().name()).param("hour", key.hour());
	}

}
