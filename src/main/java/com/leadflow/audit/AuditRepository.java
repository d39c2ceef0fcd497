package com.leadflow.audit;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.leadflow.audit.Finding.Reason;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Set-based comparisons of Leadflow's projection with the engine's runtime tables (never history,
 * never one query per lead). Each query is bounded; a healthy system returns nothing.
 */
@Repository
class AuditRepository {

	static final int MAX_FINDINGS_PER_KIND = 10_000;

	private static final String LEAD_COLUMNS = "l.id AS lead_id, l.company, l.owner, l.status, l.route";

	private static final String ACTIVE = "l.status IN ('ACTIVE', 'HANDED_OFF')";

	/**
	 * A failure in a called route is one incident in the route instance (the root cause, holding the
	 * failed job) and one more in each calling instance above it; only the root cause is counted,
	 * listed and retried.
	 */
	private static final String ROOT_CAUSE = "i.ID_ = i.ROOT_CAUSE_INCIDENT_ID_";

	private final JdbcClient jdbc;

	AuditRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The full comparison: every active lead (of the owner and route, when given). */
	List<Finding> findings(String owner, String route) {
		return compare(new Scope(owner, route, null));
	}

	/** The same comparisons restricted to these leads (the re-check of dirty leads). */
	List<Finding> findingsOf(Collection<String> leadIds) {
		return leadIds.isEmpty() ? List.of() : compare(new Scope(null, null, leadIds));
	}

	/** Which leads a comparison looks at: all (filtered by owner and route) or a list of lead ids. */
	private record Scope(String owner, String route, Collection<String> ids) {

		/** Conditions on the lead ({@code l}). */
		String leads() {
			return filter(owner, route) + (ids == null ? "" : " AND l.id IN (:ids)");
		}

		/** Conditions on the lead ({@code l}) and its open action ({@code a}), so either index can drive. */
		String actions() {
			return leads() + (ids == null ? "" : " AND a.lead_id IN (:ids)");
		}

		/** Conditions on the lead ({@code l}) and the incident's process instance ({@code e}, by business key). */
		String incidents() {
			return leads() + (ids == null ? "" : " AND e.BUSINESS_KEY_ IN (:ids)");
		}

		JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
			spec = AuditRepository.bind(spec, owner, route);
			return ids == null ? spec : spec.param("ids", ids);
		}

	}

	private List<Finding> compare(Scope scope) {
		List<Finding> all = new ArrayList<>();
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", NULL AS detail FROM lf_lead l WHERE " + ACTIVE + scope.leads()
				+ " AND NOT EXISTS (SELECT 1 FROM lf_next_action a WHERE a.open_lead_id = l.id)", Reason.NO_OPEN_ACTION,
				scope));
		String openAction = " FROM lf_next_action a JOIN lf_lead l ON l.id = a.lead_id WHERE a.status = 'OPEN'"
				+ scope.actions();
		String processExists = "EXISTS (SELECT 1 FROM ACT_RU_EXECUTION e WHERE e.ID_ = a.process_instance_id)";
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", a.process_instance_id AS detail" + openAction + " AND NOT "
				+ processExists, Reason.PROCESS_ENDED, scope));
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", a.process_instance_id AS detail" + openAction
				+ " AND EXISTS (SELECT 1 FROM ACT_RU_EXECUTION e WHERE e.ID_ = a.process_instance_id"
				+ " AND e.SUSPENSION_STATE_ = 2)", Reason.PROCESS_SUSPENDED, scope));
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", a.task_id AS detail" + openAction + " AND a.type <> 'CONTENT' AND "
				+ processExists + " AND NOT EXISTS (SELECT 1 FROM ACT_RU_TASK t WHERE t.ID_ = a.task_id)",
				Reason.TASK_MISSING, scope));
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", a.process_instance_id AS detail" + openAction
				+ " AND a.type = 'CONTENT' AND " + processExists
				+ " AND NOT EXISTS (SELECT 1 FROM ACT_RU_JOB j WHERE j.PROCESS_INSTANCE_ID_ = a.process_instance_id)",
				Reason.TIMER_MISSING, scope));
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", i.INCIDENT_MSG_ AS detail FROM ACT_RU_INCIDENT i "
				+ "JOIN ACT_RU_EXECUTION e ON e.ID_ = i.PROC_INST_ID_ JOIN lf_lead l ON l.id = e.BUSINESS_KEY_ WHERE "
				+ ROOT_CAUSE + " AND " + ACTIVE + scope.incidents(), Reason.INCIDENT, scope));
		all.addAll(query("SELECT " + LEAD_COLUMNS + ", t.ASSIGNEE_ AS detail FROM lf_next_action a "
				+ "JOIN lf_lead l ON l.id = a.lead_id JOIN ACT_RU_TASK t ON t.ID_ = a.task_id WHERE a.status = 'OPEN'"
				+ scope.actions() + " AND a.candidate_group IS NULL AND (t.ASSIGNEE_ IS NULL OR t.ASSIGNEE_ <> a.assignee)",
				Reason.PROJECTION_MISMATCH, scope));
		return all;
	}

	private List<Finding> query(String sql, Reason reason, Scope scope) {
		JdbcClient.StatementSpec spec = jdbc.sql(sql + " ORDER BY l.id LIMIT " + MAX_FINDINGS_PER_KIND);
		spec = scope.bind(spec);
		return spec.query((rs, n) -> new Finding(rs.getString("lead_id"), rs.getString("company"), rs.getString("owner"),
				rs.getString("status"), rs.getString("route"), reason, rs.getString("detail")))
			.list();
	}

	long activeLeads() {
		return jdbc.sql("SELECT COUNT(*) FROM lf_lead l WHERE " + ACTIVE).query(Long.class).single();
	}

	long overdue(Instant now) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN' AND due_at < ?")
			.param(ts(now))
			.query(Long.class)
			.single();
	}

	long untouched(Instant before) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_lead l WHERE " + ACTIVE + " AND " + untouched())
			.param(ts(before))
			.param(ts(before))
			.query(Long.class)
			.single();
	}

	long incidents() {
		return jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT i WHERE " + ROOT_CAUSE).query(Long.class).single();
	}

	/** One open action that is overdue. */
	record Overdue(String actionId, String leadId, String company, String owner, String route, String type,
			Instant dueAt, String assignee) {
	}

	List<Overdue> overdueActions(Instant now, String owner, String route, int limit, long offset) {
		String sql = "SELECT a.id AS action_id, " + LEAD_COLUMNS + ", a.type, a.due_at, a.assignee "
				+ "FROM lf_next_action a JOIN lf_lead l ON l.id = a.lead_id WHERE a.status = 'OPEN' AND a.due_at < :now"
				+ filter(owner, route) + " ORDER BY a.due_at, a.id LIMIT " + limit + " OFFSET " + offset;
		return bind(jdbc.sql(sql).param("now", ts(now)), owner, route)
			.query((rs, n) -> new Overdue(rs.getString("action_id"), rs.getString("lead_id"), rs.getString("company"),
					rs.getString("owner"), rs.getString("route"), rs.getString("type"), instant(rs, "due_at"),
					rs.getString("assignee")))
			.list();
	}

	long countOverdue(Instant now, String owner, String route) {
		String sql = "SELECT COUNT(*) FROM lf_next_action a JOIN lf_lead l ON l.id = a.lead_id WHERE a.status = 'OPEN' "
				+ "AND a.due_at < :now" + filter(owner, route);
		return bind(jdbc.sql(sql).param("now", ts(now)), owner, route).query(Long.class).single();
	}

	/** How many of something one owner has. */
	record OwnerCount(String owner, long count) {
	}

	List<OwnerCount> overdueByOwner(Instant now, String route) {
		String sql = "SELECT l.owner, COUNT(*) AS n FROM lf_next_action a JOIN lf_lead l ON l.id = a.lead_id "
				+ "WHERE a.status = 'OPEN' AND a.due_at < :now" + filter(null, route)
				+ " GROUP BY l.owner ORDER BY n DESC, l.owner LIMIT 500";
		return bind(jdbc.sql(sql).param("now", ts(now)), null, route)
			.query((rs, n) -> new OwnerCount(rs.getString("owner"), rs.getLong("n")))
			.list();
	}

	/** A lead nobody has individually touched for longer than the touch interval. */
	record Untouched(String leadId, String company, String owner, String route, String status, Instant lastTouchAt,
			Instant createdAt) {
	}

	List<Untouched> untouchedLeads(Instant before, String owner, String route, int limit, long offset) {
		String sql = "SELECT " + LEAD_COLUMNS + ", l.last_touch_at, l.created_at FROM lf_lead l WHERE " + ACTIVE + " AND "
				+ untouchedNamed() + filter(owner, route) + " ORDER BY l.last_touch_at, l.created_at, l.id LIMIT " + limit
				+ " OFFSET " + offset;
		return bind(jdbc.sql(sql).param("before", ts(before)), owner, route)
			.query((rs, n) -> new Untouched(rs.getString("lead_id"), rs.getString("company"), rs.getString("owner"),
					rs.getString("route"), rs.getString("status"), instant(rs, "last_touch_at"), instant(rs, "created_at")))
			.list();
	}

	long countUntouched(Instant before, String owner, String route) {
		String sql = "SELECT COUNT(*) FROM lf_lead l WHERE " + ACTIVE + " AND " + untouchedNamed() + filter(owner, route);
		return bind(jdbc.sql(sql).param("before", ts(before)), owner, route).query(Long.class).single();
	}

	/** Active leads whose owner is marked inactive or is no longer a member of the reps group. */
	List<Untouched> inactiveOwnerLeads(String owner, String route, int limit, long offset) {
		String sql = "SELECT " + LEAD_COLUMNS + ", l.last_touch_at, l.created_at FROM lf_lead l WHERE " + ACTIVE
				+ inactiveOwner() + filter(owner, route) + " ORDER BY l.owner, l.id LIMIT " + limit + " OFFSET " + offset;
		return bind(jdbc.sql(sql), owner, route)
			.query((rs, n) -> new Untouched(rs.getString("lead_id"), rs.getString("company"), rs.getString("owner"),
					rs.getString("route"), rs.getString("status"), instant(rs, "last_touch_at"), instant(rs, "created_at")))
			.list();
	}

	long countInactiveOwnerLeads(String owner, String route) {
		return bind(jdbc.sql("SELECT COUNT(*) FROM lf_lead l WHERE " + ACTIVE + inactiveOwner() + filter(owner, route)),
				owner, route)
			.query(Long.class)
			.single();
	}

	/** An open incident on a lead's process tree. */
	record Incident(String incidentId, String leadId, String company, String owner, String activityId, String message,
			String jobId, Instant createdAt) {
	}

	List<Incident> incidentList(int limit, long offset) {
		return jdbc.sql("SELECT i.ID_ AS incident_id, l.id AS lead_id, l.company, l.owner, i.ACTIVITY_ID_ AS activity_id, "
				+ "i.INCIDENT_MSG_ AS message, i.CONFIGURATION_ AS job_id, i.INCIDENT_TIMESTAMP_ AS created_at "
				+ "FROM ACT_RU_INCIDENT i JOIN ACT_RU_EXECUTION e ON e.ID_ = i.PROC_INST_ID_ "
				+ "LEFT JOIN lf_lead l ON l.id = e.BUSINESS_KEY_ WHERE " + ROOT_CAUSE + " ORDER BY i.INCIDENT_TIMESTAMP_, i.ID_ LIMIT " + limit
				+ " OFFSET " + offset)
			.query((rs, n) -> new Incident(rs.getString("incident_id"), rs.getString("lead_id"), rs.getString("company"),
					rs.getString("owner"), rs.getString("activity_id"), rs.getString("message"), rs.getString("job_id"),
					instant(rs, "created_at")))
			.list();
	}

	void saveRun(String id, Instant started, Instant finished, long active, long without, long incidents, String by,
			List<Finding> drift, long untracked, long counterCorrections) {
		jdbc.sql("INSERT INTO lf_audit_run (id, started_at, finished_at, active_leads, without_next_action, incidents, run_by, "
				+ "untracked, counter_corrections) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(id, ts(started), ts(finished), active, without, incidents, by, untracked, counterCorrections)
			.update();
		for (Finding finding : drift) {
			String detail = finding.detail() == null ? null
					: finding.detail().length() > 500 ? finding.detail().substring(0, 500) : finding.detail();
			jdbc.sql("INSERT INTO lf_audit_drift (run_id, lead_id, reason, detail) VALUES (?, ?, ?, ?)")
				.params(id, finding.leadId(), finding.reason().name(), detail)
				.update();
		}
	}

	/** When the last consistency check started; null before the first. */
	Instant lastRunAt() {
		return jdbc.sql("SELECT started_at FROM lf_audit_run ORDER BY started_at DESC LIMIT 1")
			.query((rs, n) -> instant(rs, "started_at"))
			.optional()
			.orElse(null);
	}

	/** Takes a cluster-wide lock on a scheduled job until {@code until}; false when another node holds it. */
	boolean lock(String name, Instant now, Instant until, String node) {
		return jdbc.sql("UPDATE lf_scheduler_lock SET locked_until = ?, locked_by = ? WHERE name = ? AND locked_until < ?")
			.params(ts(until), node, name, ts(now))
			.update() == 1;
	}

	boolean alertRecorded(java.time.LocalDate day) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_audit_alert WHERE alert_day = ?")
			.param(java.sql.Date.valueOf(day))
			.query(Long.class)
			.single() > 0;
	}

	boolean saveAlert(String id, java.time.LocalDate day, Instant at, String summary) {
		try {
			jdbc.sql("INSERT INTO lf_audit_alert (id, alert_day, created_at, summary) VALUES (?, ?, ?, ?)")
				.params(id, java.sql.Date.valueOf(day), ts(at), summary)
				.update();
			return true;
		}
		catch (org.springframework.dao.DuplicateKeyException alreadySent) {
			return false;
		}
	}

	private static String untouched() {
		return "((l.last_touch_at IS NULL AND l.created_at < ?) OR l.last_touch_at < ?)";
	}

	private static String untouchedNamed() {
		return "((l.last_touch_at IS NULL AND l.created_at < :before) OR l.last_touch_at < :before)";
	}

	private static String inactiveOwner() {
		return " AND (EXISTS (SELECT 1 FROM lf_rep r WHERE r.user_id = l.owner AND r.active = FALSE) "
				+ "OR NOT EXISTS (SELECT 1 FROM ACT_ID_MEMBERSHIP m WHERE m.USER_ID_ = l.owner AND m.GROUP_ID_ = 'reps'))";
	}

	/** The lists' owner/route filter on the lead ({@code l}), bound by {@link #bind}; also used by {@link FindingStore}. */
	static String filter(String owner, String route) {
		return (owner == null ? "" : " AND l.owner = :owner") + (route == null ? "" : " AND l.route = :route");
	}

	static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, String owner, String route) {
		if (owner != null) {
			spec = spec.param("owner", owner);
		}
		if (route != null) {
			spec = spec.param("route", route);
		}
		return spec;
	}

}
