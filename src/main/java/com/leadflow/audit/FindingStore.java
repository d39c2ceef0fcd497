package com.leadflow.audit;

import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.leadflow.audit.Finding.Reason;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The stored findings ({@code lf_audit_finding}: one row per lead that does not really have its next
 * action, with the most fundamental reason) and the dirty marks ({@code lf_audit_dirty}) that say
 * which leads to compare with the engine again. Lists join the lead for its current company, owner,
 * status and route, so a finding is shown only while its lead is active.
 */
@Repository
class FindingStore {

	private static final String ACTIVE = "l.status IN ('ACTIVE', 'HANDED_OFF')";

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	FindingStore(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	/** Row-locks the refresh until the transaction ends: one re-check at a time across the cluster. */
	void lockRefresh(String node) {
		jdbc.sql("UPDATE lf_scheduler_lock SET locked_by = ? WHERE name = 'audit-refresh'").param(node).update();
	}

	List<String> dirty(int limit) {
		return jdbc.sql("SELECT lead_id FROM lf_audit_dirty ORDER BY lead_id LIMIT " + limit).query(String.class).list();
	}

	/** Dirty leads waiting for their re-check, counted up to {@code cap} (a bounded count). */
	long dirtyCount(int cap) {
		return jdbc.sql("SELECT COUNT(*) FROM (SELECT lead_id FROM lf_audit_dirty LIMIT " + cap + ") d")
			.query(Long.class)
			.single();
	}

	boolean isDirty(String leadId) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_audit_dirty WHERE lead_id = ?").param(leadId).query(Long.class).single() > 0;
	}

	/** Which of these leads are marked dirty. */
	List<String> dirtyAmong(Collection<String> leadIds) {
		List<String> dirty = new ArrayList<>();
		for (List<String> chunk : chunks(leadIds)) {
			dirty.addAll(jdbc.sql("SELECT lead_id FROM lf_audit_dirty WHERE lead_id IN (:ids)")
				.param("ids", chunk)
				.query(String.class)
				.list());
		}
		return dirty;
	}

	void clearDirty(Collection<String> leadIds) {
		jdbc.sql("DELETE FROM lf_audit_dirty WHERE lead_id IN (:ids)").param("ids", leadIds).update();
	}

	/** Replaces the stored findings of these leads with {@code found} (one per lead, at most). */
	void replace(Collection<String> leadIds, Collection<Finding> found, Instant at) {
		jdbc.sql("DELETE FROM lf_audit_finding WHERE lead_id IN (:ids)").param("ids", leadIds).update();
		List<Object[]> rows = new ArrayList<>();
		for (Finding finding : found) {
			String detail = finding.detail() == null ? null
					: finding.detail().length() > 500 ? finding.detail().substring(0, 500) : finding.detail();
			rows.add(new Object[] { finding.leadId(), finding.reason().name(), detail, ts(at) });
		}
		if (!rows.isEmpty()) {
			template.batchUpdate("INSERT INTO lf_audit_finding (lead_id, reason, detail, found_at) VALUES (?, ?, ?, ?)", rows);
		}
	}

	/** Every stored finding's reason by lead (also of leads no longer active), for the consistency check. */
	Map<String, Reason> all() {
		return jdbc.sql("SELECT lead_id, reason FROM lf_audit_finding")
			.query((rs, n) -> Map.entry(rs.getString("lead_id"), Reason.valueOf(rs.getString("reason"))))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** A page of the stored findings of active leads, by lead id. */
	List<Finding> page(String owner, String route, int limit, long offset) {
		String sql = "SELECT f.lead_id, l.company, l.owner, l.status, l.route, f.reason, f.detail FROM lf_audit_finding f "
				+ "JOIN lf_lead l ON l.id = f.lead_id WHERE " + ACTIVE + AuditRepository.filter(owner, route) + " ORDER BY f.lead_id LIMIT "
				+ limit + " OFFSET " + offset;
		return AuditRepository.bind(jdbc.sql(sql), owner, route)
			.query((rs, n) -> new Finding(rs.getString("lead_id"), rs.getString("company"), rs.getString("owner"),
					rs.getString("status"), rs.getString("route"), Reason.valueOf(rs.getString("reason")),
					rs.getString("detail")))
			.list();
	}

	long count(String owner, String route) {
		String sql = "SELECT COUNT(*) FROM lf_audit_finding f JOIN lf_lead l ON l.id = f.lead_id WHERE " + ACTIVE
				+ AuditRepository.filter(owner, route);
		return AuditRepository.bind(jdbc.sql(sql), owner, route).query(Long.class).single();
	}

	static List<List<String>> chunks(Collection<String> ids) {
		List<List<String>> chunks = new ArrayList<>();
		List<String> all = new ArrayList<>(ids);
		for (int i = 0; i < all.size(); i += 1000) {
			chunks.add(all.subList(i, Math.min(all.size(), i + 1000)));
		}
		return chunks;
	}


}
