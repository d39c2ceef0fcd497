package com.leadflow.audit;

import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import com.leadflow.common.Clock;
import com.leadflow.common.Databases;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the audit keeps up to date while leads, actions and processes change, written in the
 * transaction of the change: the counters behind {@code GET /api/audit} (active leads per owner, open
 * actions per due hour, active leads per hour of their last touch), the KPI touch coverage (active
 * leads with an individual touch per owner and hour of that touch), the reps' loads for owner
 * assignment (open actions per assignee and due hour), and the dirty marks (leads whose process, task,
 * job or incident changed, to be compared with the engine again).
 *
 * <p>Changes are gathered per transaction and written just before it commits, netted per row and in
 * one fixed order (dirty marks by lead id, then counter rows by key), so two transactions never take
 * the same rows in opposite orders. Counter rows are spread over {@value #SHARDS} shards (by the id
 * of the lead or action) so concurrent intakes do not queue on one row; a figure is a sum over shards.
 * The load counters have one shard: a rep's rows are written by that rep's intakes (which queue on
 * the rep's row anyway) and completions, and the assignment reads the whole team's rows.
 * Outside a transaction the change is written at once.
 */
@Component
public class AuditLedger {

	static final int SHARDS = 8;

	/**
	 * Counted by hour: open actions by due hour ({@code DUE}), active leads by hour of last touch or
	 * creation ({@code TOUCH}, the audit's "untouched"), both in {@code lf_audit_hour_count}; active leads
	 * with an individual touch by owner and hour of that touch ({@code TOUCHED}, the KPI touch coverage,
	 * in {@code lf_audit_touch_count}, owner {@value #ALL_OWNERS} for the team); open actions by assignee
	 * and due hour ({@code ASSIGNED}, the reps' loads for owner assignment, in
	 * {@code lf_audit_assigned_count}, shard 0 only); open calls by assignee and due hour ({@code CALLS},
	 * the reps' days for capacity levelling, in {@code lf_audit_call_count}, shard 0 only).
	 */
	public enum Kind {

		DUE, TOUCH, TOUCHED, ASSIGNED, CALLS

	}

	/** The owner under which {@code lf_audit_touch_count} counts every lead (no user id contains it). */
	static final String ALL_OWNERS = "*";

	/**
	 * What the audit counts of a lead: whether it is active (ACTIVE or HANDED_OFF), its owner, when it
	 * was created and last touched individually (null: never).
	 */
	public record LeadFacts(boolean active, String owner, Instant createdAt, Instant lastTouchAt) {

		/** The facts of a lead as stored. */
		public static LeadFacts of(String status, String owner, Instant createdAt, Instant lastTouchAt) {
			boolean active = "ACTIVE".equals(status) || "HANDED_OFF".equals(status);
			return new LeadFacts(active, owner, createdAt, lastTouchAt);
		}

		/** The last individual touch, else the creation: what "untouched for 90 days" looks at. */
		Instant touchedAt() {
			return Objects.requireNonNullElse(lastTouchAt, createdAt);
		}

		public LeadFacts withActive(boolean isActive) {
			return new LeadFacts(isActive, owner, createdAt, lastTouchAt);
		}

		public LeadFacts withOwner(String newOwner) {
			return new LeadFacts(active, newOwner, createdAt, lastTouchAt);
		}

		public LeadFacts touched(Instant at) {
			return new LeadFacts(active, owner, createdAt, at);
		}

	}

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	AuditLedger(JdbcTemplate jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	/** Hours since 1970-01-01 00:00 UTC, the key of the hour counters. */
	public static long hour(Instant at) {
		return Math.floorDiv(at.getEpochSecond(), 3600);
	}

	/** The start of an hour of {@link #hour(Instant)}. */
	public static Instant hourStart(long hour) {
		return Instant.ofEpochSecond(hour * 3600);
	}

	static int shard(String id) {
		return Math.floorMod(id.hashCode(), SHARDS);
	}

	public void leadAdded(String leadId, LeadFacts facts) {
		leadChanged(leadId, new LeadFacts(false, null, null, null), facts);
	}

	public void leadChanged(String leadId, LeadFacts before, LeadFacts after) {
		if (before.equals(after)) {
			return;
		}
		Pending pending = pending();
		int shard = shard(leadId);
		count(pending, before, shard, -1);
		count(pending, after, shard, 1);
		done(pending);
	}

	/** Adds (or removes, -1) what the counters count of a lead with these facts. */
	private static void count(Pending pending, LeadFacts facts, int shard, long delta) {
		if (!facts.active()) {
			return;
		}
		pending.owner(facts.owner(), shard, delta);
		pending.hour(Kind.TOUCH, hour(facts.touchedAt()), shard, delta);
		if (facts.lastTouchAt() != null) {
			long touched = hour(facts.lastTouchAt());
			pending.touch(ALL_OWNERS, touched, shard, delta);
			pending.touch(facts.owner(), touched, shard, delta);
		}
	}

	/**
	 * An action was opened, due at {@code dueAt}, assigned to {@code assignee} (null: a group's);
	 * {@code call}: it is a CALL.
	 */
	public void actionOpened(String actionId, Instant dueAt, String assignee, boolean call) {
		Pending pending = pending();
		pending.hour(Kind.DUE, hour(dueAt), shard(actionId), 1);
		pending.assigned(assignee, hour(dueAt), call, 1);
		done(pending);
	}

	/** An open action was done or cancelled. */
	public void actionClosed(String actionId, Instant dueAt, String assignee, boolean call) {
		Pending pending = pending();
		pending.hour(Kind.DUE, hour(dueAt), shard(actionId), -1);
		pending.assigned(assignee, hour(dueAt), call, -1);
		done(pending);
	}

	/** An open action moved from one assignee to another (either null: a group's). */
	public void actionReassigned(Instant dueAt, boolean call, String from, String to) {
		if (Objects.equals(from, to)) {
			return;
		}
		Pending pending = pending();
		pending.assigned(from, hour(dueAt), call, -1);
		pending.assigned(to, hour(dueAt), call, 1);
		done(pending);
	}

	/** The lead's process tree changed in the engine: the audit compares it with the engine again. */
	public void markDirty(String leadId) {
		if (leadId == null || leadId.isEmpty() || leadId.length() > 36) {
			return; // not a lead's business key
		}
		Pending pending = pending();
		pending.dirty.add(leadId);
		done(pending);
	}

	/**
	 * What the current transaction changed in an assignee's load ({@code ASSIGNED}: open actions) or
	 * calls ({@code CALLS}) per due hour and has not written yet (it does before its commit): what a read
	 * of those counters inside the transaction adds to see the transaction's own work. Hours without a
	 * change are absent.
	 */
	public Map<Long, Long> unwritten(Kind kind, String assignee) {
		Pending pending = registered();
		if (pending == null) {
			return Map.of();
		}
		TreeMap<OwnerHourKey, Long> changes = switch (kind) {
			case ASSIGNED -> pending.assigned;
			case CALLS -> pending.calls;
			default -> throw new IllegalArgumentException(kind + " is not counted by assignee");
		};
		Map<Long, Long> byHour = new HashMap<>();
		changes.subMap(new OwnerHourKey(assignee, Long.MIN_VALUE, 0), new OwnerHourKey(assignee, Long.MAX_VALUE, 0))
			.forEach((key, delta) -> byHour.merge(key.hour(), delta, Long::sum));
		byHour.values().removeIf(delta -> delta == 0);
		return byHour;
	}

	/** The pending changes of the current transaction (registered on first use), or a new one written by {@link #done}. */
	private Pending pending() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return new Pending(false);
		}
		Pending pending = registered();
		if (pending == null) {
			pending = new Pending(true);
			TransactionSynchronizationManager.registerSynchronization(pending);
		}
		return pending;
	}

	/** The pending changes registered with the current transaction, if any. */
	private Pending registered() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof Pending pending && pending.ledger() == this) {
				return pending;
			}
		}
		return null;
	}

	private void done(Pending pending) {
		if (!pending.deferred) {
			write(pending);
		}
	}

	private record OwnerKey(String owner, int shard) implements Comparable<OwnerKey> {

		@Override
		public int compareTo(OwnerKey o) {
			int c = owner.compareTo(o.owner);
			return c != 0 ? c : Integer.compare(shard, o.shard);
		}

	}

	private record HourKey(Kind kind, long hour, int shard) implements Comparable<HourKey> {

		@Override
		public int compareTo(HourKey o) {
			int c = kind.compareTo(o.kind);
			if (c == 0) {
				c = Long.compare(hour, o.hour);
			}
			return c != 0 ? c : Integer.compare(shard, o.shard);
		}

	}

	private record OwnerHourKey(String owner, long hour, int shard) implements Comparable<OwnerHourKey> {

		@Override
		public int compareTo(OwnerHourKey o) {
			int c = owner.compareTo(o.owner);
			if (c == 0) {
				c = Long.compare(hour, o.hour);
			}
			return c != 0 ? c : Integer.compare(shard, o.shard);
		}

	}

	/** One transaction's changes, written before it commits. */
	private final class Pending implements TransactionSynchronization {

		final boolean deferred;

		final TreeSet<String> dirty = new TreeSet<>();

		final TreeMap<OwnerKey, Long> owners = new TreeMap<>();

		final TreeMap<HourKey, Long> hours = new TreeMap<>();

		final TreeMap<OwnerHourKey, Long> touches = new TreeMap<>();

		final TreeMap<OwnerHourKey, Long> assigned = new TreeMap<>();

		final TreeMap<OwnerHourKey, Long> calls = new TreeMap<>();

		Pending(boolean deferred) {
			this.deferred = deferred;
		}

		AuditLedger ledger() {
			return AuditLedger.this;
		}

		void owner(String owner, int shard, long delta) {
			owners.merge(new OwnerKey(owner == null ? "" : owner, shard), delta, Long::sum);
		}

		void hour(Kind kind, long hour, int shard, long delta) {
			hours.merge(new HourKey(kind, hour, shard), delta, Long::sum);
		}

		void touch(String owner, long hour, int shard, long delta) {
			touches.merge(new OwnerHourKey(owner == null ? "" : owner, hour, shard), delta, Long::sum);
		}

		void assigned(String assignee, long hour, boolean call, long delta) {
			if (assignee != null) {
				OwnerHourKey key = new OwnerHourKey(assignee, hour, 0);
				assigned.merge(key, delta, Long::sum);
				if (call) {
					calls.merge(key, delta, Long::sum);
				}
			}
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			write(this);
		}

		@Override
		public int getOrder() {
			// Last of the synchronizations that write before the commit.
			return LOWEST_PRECEDENCE;
		}

	}

	private void write(Pending pending) {
		boolean my = isMySql();
		if (!pending.dirty.isEmpty()) {
			java.sql.Timestamp now = ts(Clock.now());
			List<Object[]> rows = new ArrayList<>();
			pending.dirty.forEach(id -> rows.add(new Object[] { id, now }));
			jdbc.batchUpdate(my ? "INSERT INTO lf_audit_dirty (lead_id, marked_at) VALUES (?, ?) "
					+ "ON DUPLICATE KEY UPDATE marked_at = VALUES(marked_at)"
					: "MERGE INTO lf_audit_dirty (lead_id, marked_at) KEY (lead_id) VALUES (?, ?)", rows);
			pending.dirty.clear();
		}
		List<Object[]> owners = new ArrayList<>();
		for (Map.Entry<OwnerKey, Long> e : pending.owners.entrySet()) {
			if (e.getValue() != 0) {
				owners.add(new Object[] { e.getKey().owner(), e.getKey().shard(), e.getValue() });
			}
		}
		pending.owners.clear();
		add(my, "lf_audit_owner_count", "owner = ? AND shard = ?", "owner, shard", owners);
		List<Object[]> hours = new ArrayList<>();
		for (Map.Entry<HourKey, Long> e : pending.hours.entrySet()) {
			if (e.getValue() != 0) {
				hours.add(new Object[] { e.getKey().kind().name(), e.getKey().hour(), e.getKey().shard(), e.getValue() });
			}
		}
		pending.hours.clear();
		add(my, "lf_audit_hour_count", "kind = ? AND hour_no = ? AND shard = ?", "kind, hour_no, shard", hours);
		List<Object[]> touches = rows(pending.touches);
		add(my, "lf_audit_touch_count", "owner = ? AND hour_no = ? AND shard = ?", "owner, hour_no, shard", touches);
		add(my, "lf_audit_assigned_count", "owner = ? AND hour_no = ? AND shard = ?", "owner, hour_no, shard",
				rows(pending.assigned));
		add(my, "lf_audit_call_count", "owner = ? AND hour_no = ? AND shard = ?", "owner, hour_no, shard",
				rows(pending.calls));
	}

	/** The non-zero changes of an (owner, hour, shard) map as rows (owner, hour, shard, delta), in key order; clears the map. */
	private static List<Object[]> rows(TreeMap<OwnerHourKey, Long> changes) {
		List<Object[]> rows = new ArrayList<>();
		for (Map.Entry<OwnerHourKey, Long> e : changes.entrySet()) {
			if (e.getValue() != 0) {
				rows.add(new Object[] { e.getKey().owner(), e.getKey().hour(), e.getKey().shard(), e.getValue() });
			}
		}
		changes.clear();
		return rows;
	}

	/** Adds each row's last value to its counter row, creating it the first time (rows: key columns, delta). */
	private void add(boolean my, String table, String keyWhere, String keyColumns, List<Object[]> rows) {
		if (rows.isEmpty()) {
			return;
		}
		int keys = rows.get(0).length - 1;
		String marks = "?, ".repeat(keys);
		if (my) {
			// One atomic upsert per row (see KpiRepository: update-else-insert deadlocks on MySQL).
			jdbc.batchUpdate("INSERT INTO " + table + " (" + keyColumns + ", n) VALUES (" + marks + "?) "
					+ "ON DUPLICATE KEY UPDATE n = n + VALUES(n)", rows);
			return;
		}
		for (Object[] row : rows) {
			Object[] update = new Object[row.length];
			update[0] = row[keys];
			System.arraycopy(row, 0, update, 1, keys);
			if (jdbc.update("UPDATE " + table + " SET n = n + ? WHERE " + keyWhere, update) == 1) {
				continue;
			}
			try {
				jdbc.update("INSERT INTO " + table + " (" + keyColumns + ", n) VALUES (" + marks + "?)", row);
			}
			catch (DuplicateKeyException raced) {
				jdbc.update("UPDATE " + table + " SET n = n + ? WHERE " + keyWhere, update);
			}
		}
	}

	boolean isMySql() {
		return Databases.isMySql(dataSource);
	}

}
