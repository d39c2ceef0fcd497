package com.leadflow.actions;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.leadflow.audit.AuditLedger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The projection lead → open next action. A unique key on {@code open_lead_id} (set only while
 * the action is open) makes "at most one open action per lead" a database fact. Opening and closing
 * an action is passed on to the {@link AuditLedger} (overdue counts) in the same transaction.
 */
@Repository
public class NextActionRepository {

	private final JdbcClient jdbc;

	private final AuditLedger ledger;

	NextActionRepository(JdbcClient jdbc, AuditLedger ledger) {
		this.jdbc = jdbc;
		this.ledger = ledger;
	}

	public void insertOpen(NextAction action) {
		jdbc.sql("INSERT INTO lf_next_action (id, lead_id, open_lead_id, type, status, due_at, assignee, candidate_group, "
				+ "content, note, is_generated, process_instance_id, task_id, created_at) "
				+ "VALUES (?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(action.id(), action.leadId(), action.leadId(), action.type().name(), ts(action.dueAt()),
					action.assignee(), action.candidateGroup(), action.content(), action.note(), action.generated(),
					action.processInstanceId(), action.taskId(), ts(action.createdAt()))
			.update();
		ledger.actionOpened(action.id(), action.dueAt(), action.assignee(), action.type() == ActionType.CALL);
	}

	public Optional<NextAction> findById(String id) {
		return jdbc.sql("SELECT * FROM lf_next_action WHERE id = ?").param(id).query(NextActionRepository::map).optional();
	}

	public Optional<NextAction> findOpenByLead(String leadId) {
		return jdbc.sql("SELECT * FROM lf_next_action WHERE open_lead_id = ?")
			.param(leadId)
			.query(NextActionRepository::map)
			.optional();
	}

	public Map<String, NextAction> findOpenByLeads(Collection<String> leadIds) {
		if (leadIds.isEmpty()) {
			return Map.of();
		}
		return jdbc.sql("SELECT * FROM lf_next_action WHERE open_lead_id IN (:ids)")
			.param("ids", leadIds)
			.query(NextActionRepository::map)
			.list()
			.stream()
			.collect(Collectors.toMap(NextAction::leadId, a -> a));
	}

	public void attachTask(String actionId, String taskId) {
		jdbc.sql("UPDATE lf_next_action SET task_id = ? WHERE id = ?").params(taskId, actionId).update();
	}

	/** Marks an open action done; false when it was not open any more (someone else was first). */
	public boolean markDone(String id, String outcome, String by, Instant at) {
		boolean done = jdbc.sql("UPDATE lf_next_action SET status = 'DONE', open_lead_id = NULL, outcome = ?, completed_by = ?, "
				+ "completed_at = ? WHERE id = ? AND status = 'OPEN'")
			.params(outcome, by, ts(at), id)
			.update() == 1;
		if (done) {
			closed(id);
		}
		return done;
	}

	/** Tells the audit's counters that an action it just closed is no longer open. */
	private void closed(String id) {
		jdbc.sql("SELECT due_at, assignee, type FROM lf_next_action WHERE id = ?")
			.param(id)
			.query(rs -> {
				ledger.actionClosed(id, instant(rs, "due_at"), rs.getString("assignee"),
						ActionType.CALL.name().equals(rs.getString("type")));
			});
	}

	/** Cancels the lead's open action, if any (route moved, lead closed). */
	public int cancelOpen(String leadId, String by, Instant at) {
		Optional<String> open = jdbc.sql("SELECT id FROM lf_next_action WHERE open_lead_id = ? FOR UPDATE")
			.param(leadId)
			.query(String.class)
			.optional();
		if (open.isEmpty()) {
			return 0;
		}
		int cancelled = jdbc.sql("UPDATE lf_next_action SET status = 'CANCELLED', open_lead_id = NULL, completed_by = ?, "
				+ "completed_at = ? WHERE id = ? AND status = 'OPEN'")
			.params(by, ts(at), open.get())
			.update();
		if (cancelled == 1) {
			closed(open.get());
		}
		return cancelled;
	}

	public List<NextAction> openAssignedTo(String assignee) {
		return jdbc.sql("SELECT * FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' ORDER BY due_at, id")
			.param(assignee)
			.query(NextActionRepository::map)
			.list();
	}

	/**
	 * Hands an open action to {@code assignee}, the row locked first so the audit's load counters move
	 * it from the assignee it really had; false when it is not open (any more).
	 */
	public boolean assign(String id, String assignee) {
		Optional<NextAction> open = jdbc.sql("SELECT * FROM lf_next_action WHERE id = ? AND status = 'OPEN' FOR UPDATE")
			.param(id)
			.query(NextActionRepository::map)
			.optional();
		if (open.isEmpty()) {
			return false;
		}
		jdbc.sql("UPDATE lf_next_action SET assignee = ? WHERE id = ?").params(assignee, id).update();
		ledger.actionReassigned(open.get().dueAt(), open.get().type() == ActionType.CALL, open.get().assignee(), assignee);
		return true;
	}

	/**
	 * Open actions a user works: assigned to them, or unclaimed in one of their groups, due before
	 * {@code dueBefore} (null = any), soonest first.
	 */
	public List<NextAction> inbox(String assignee, Collection<String> groups, Instant dueBefore, int limit, long offset) {
		return inbox(assignee, groups, null, dueBefore, limit, offset);
	}

	/** Like {@link #inbox(String, Collection, Instant, int, long)}, due in [{@code dueFrom}, {@code dueBefore}) (null = open). */
	public List<NextAction> inbox(String assignee, Collection<String> groups, Instant dueFrom, Instant dueBefore, int limit,
			long offset) {
		// One branch per index, each read in (due_at, id) order and stopped after offset + limit rows, then
		// merged: with "assignee = :user OR (assignee IS NULL AND candidate_group IN ...)" in one WHERE, MySQL
		// could use neither index for the order and read every open action of the team in due order (or
		// sorted all of the user's): the inbox page took 0.7 s at 50,000 leads (BENCHMARKS.md).
		long window = offset + limit;
		String due = dueRange(dueFrom, dueBefore);
		StringBuilder sql = new StringBuilder("SELECT * FROM ((SELECT * FROM lf_next_action WHERE assignee = :user "
				+ "AND status = 'OPEN'" + due + " ORDER BY due_at, id LIMIT " + window + ")");
		if (!groups.isEmpty()) {
			sql.append(" UNION ALL (SELECT * FROM lf_next_action WHERE candidate_group IN (:groups) AND status = 'OPEN'"
					+ due + " AND assignee IS NULL ORDER BY due_at, id LIMIT " + window + ")");
		}
		sql.append(") open_actions ORDER BY due_at, id LIMIT ").append(limit).append(" OFFSET ").append(offset);
		JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("user", assignee);
		if (!groups.isEmpty()) {
			spec = spec.param("groups", groups);
		}
		return dueParams(spec, dueFrom, dueBefore).query(NextActionRepository::map).list();
	}

	/**
	 * How many open actions {@link #inbox} would list for these bounds, counting at most {@code cap + 1}
	 * (so the count costs the same at any database size; more than {@code cap} reads as "cap+").
	 */
	public int countInbox(String assignee, Collection<String> groups, Instant dueFrom, Instant dueBefore, int cap) {
		String due = dueRange(dueFrom, dueBefore);
		int window = cap + 1;
		StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ((SELECT id FROM lf_next_action WHERE assignee = :user "
				+ "AND status = 'OPEN'" + due + " LIMIT " + window + ")");
		if (!groups.isEmpty()) {
			sql.append(" UNION ALL (SELECT id FROM lf_next_action WHERE candidate_group IN (:groups) AND status = 'OPEN'"
					+ due + " AND assignee IS NULL LIMIT " + window + ")");
		}
		sql.append(") open_actions");
		JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("user", assignee);
		if (!groups.isEmpty()) {
			spec = spec.param("groups", groups);
		}
		return Math.min(window, dueParams(spec, dueFrom, dueBefore).query(Integer.class).single());
	}

	private static String dueRange(Instant dueFrom, Instant dueBefore) {
		return (dueFrom != null ? " AND due_at >= :dueFrom" : "") + (dueBefore != null ? " AND due_at < :dueBefore" : "");
	}

	private static JdbcClient.StatementSpec dueParams(JdbcClient.StatementSpec spec, Instant dueFrom, Instant dueBefore) {
		if (dueFrom != null) {
			spec = spec.param("dueFrom", ts(dueFrom));
		}
		if (dueBefore != null) {
			spec = spec.param("dueBefore", ts(dueBefore));
		}
		return spec;
	}

	static NextAction map(ResultSet rs, int row) throws SQLException {
		return new NextAction(rs.getString("id"), rs.getString("lead_id"), ActionType.valueOf(rs.getString("type")),
				ActionStatus.valueOf(rs.getString("status")), instant(rs, "due_at"), rs.getString("assignee"),
				rs.getString("candidate_group"), rs.getString("content"), rs.getString("note"),
				rs.getBoolean("is_generated"), rs.getString("process_instance_id"), rs.getString("task_id"),
				instant(rs, "created_at"), instant(rs, "completed_at"), rs.getString("completed_by"),
				rs.getString("outcome"));
	}

}
