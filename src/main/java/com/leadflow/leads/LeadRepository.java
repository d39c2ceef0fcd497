package com.leadflow.leads;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.leadflow.audit.AuditLedger;
import com.leadflow.audit.AuditLedger.LeadFacts;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes {@code lf_lead}. Every change to what the audit counts (status, owner, last touch)
 * is passed on to the {@link AuditLedger} in the same transaction.
 */
@Repository
public class LeadRepository {

	private static final String COLUMNS = "id, external_id, route, status, company, contact_name, email, phone, time_zone, "
			+ "source, owner, do_not_contact, loss_reason, note, hearing_items, created_at, updated_at, last_touch_at";

	private final JdbcClient jdbc;

	private final AuditLedger ledger;

	LeadRepository(JdbcClient jdbc, AuditLedger ledger) {
		this.jdbc = jdbc;
		this.ledger = ledger;
	}

	public void insert(Lead lead) {
		String emailNorm = normalizeEmail(lead.email());
		jdbc.sql("INSERT INTO lf_lead (" + COLUMNS + ", email_norm, active_email) VALUES (:id, :externalId, :route, :status, "
				+ ":company, :contactName, :email, :phone, :timeZone, :source, :owner, :doNotContact, :lossReason, :note, "
				+ ":hearingItems, :createdAt, :updatedAt, :lastTouchAt, :emailNorm, :activeEmail)")
			.param("id", lead.id())
			.param("externalId", lead.externalId())
			.param("route", lead.route().name())
			.param("status", lead.status().name())
			.param("company", lead.company())
			.param("contactName", lead.contactName())
			.param("email", lead.email())
			.param("phone", lead.phone())
			.param("timeZone", lead.timeZone())
			.param("source", lead.source())
			.param("owner", lead.owner())
			.param("doNotContact", lead.doNotContact())
			.param("lossReason", lead.lossReason())
			.param("note", lead.note())
			.param("hearingItems", lead.hearingItems())
			.param("createdAt", ts(lead.createdAt()))
			.param("updatedAt", ts(lead.updatedAt()))
			.param("lastTouchAt", ts(lead.lastTouchAt()))
			.param("emailNorm", emailNorm)
			.param("activeEmail", lead.status().isTerminal() ? null : emailNorm)
			.update();
		ledger.leadAdded(lead.id(), LeadFacts.of(lead.status().name(), lead.owner(), lead.createdAt(), lead.lastTouchAt()));
	}

	/** What the audit counts of the lead as stored now (empty: no such lead). */
	private Optional<LeadFacts> facts(String id) {
		return jdbc.sql("SELECT status, owner, created_at, last_touch_at FROM lf_lead WHERE id = ?")
			.param(id)
			.query((rs, n) -> LeadFacts.of(rs.getString("status"), rs.getString("owner"), instant(rs, "created_at"),
					instant(rs, "last_touch_at")))
			.optional();
	}

	private void changed(String id, Optional<LeadFacts> before, java.util.function.UnaryOperator<LeadFacts> change) {
		before.ifPresent(facts -> ledger.leadChanged(id, facts, change.apply(facts)));
	}

	public Optional<Lead> findById(String id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM lf_lead WHERE id = ?").param(id).query(LeadRepository::map).optional();
	}

	/** Reads the lead and locks its row until the transaction ends, so changes to one lead are serialised. */
	public Optional<Lead> findByIdForUpdate(String id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM lf_lead WHERE id = ? FOR UPDATE")
			.param(id)
			.query(LeadRepository::map)
			.optional();
	}

	public List<Lead> findAllById(java.util.Collection<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("SELECT " + COLUMNS + " FROM lf_lead WHERE id IN (:ids)").param("ids", ids).query(LeadRepository::map).list();
	}

	public Optional<Lead> findByExternalId(String externalId) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM lf_lead WHERE external_id = ?")
			.param(externalId)
			.query(LeadRepository::map)
			.optional();
	}

	/** The lead a deduplicated submission with this externalId was merged into, if any. */
	public Optional<String> findAliasedLeadId(String externalId) {
		return jdbc.sql("SELECT lead_id FROM lf_lead_alias WHERE external_id = ?").param(externalId).query(String.class).optional();
	}

	/** Remembers that a submission's externalId was deduplicated onto {@code leadId}. */
	public void insertAlias(String externalId, String leadId, Instant at) {
		jdbc.sql("INSERT INTO lf_lead_alias (external_id, lead_id, created_at) VALUES (?, ?, ?)")
			.params(externalId, leadId, ts(at))
			.update();
	}

	/**
	 * The lead a submission with this email (case-insensitive) is recorded on instead of a new one: the
	 * lead still being worked with it, else the first closed as do-not-contact. One read by the email's
	 * index, which new leads (the common case) need anyway.
	 */
	public Optional<Lead> findSamePerson(String email) {
		String norm = normalizeEmail(email);
		if (norm == null) {
			return Optional.empty();
		}
		return jdbc.sql("SELECT " + COLUMNS + " FROM lf_lead WHERE email_norm = ? AND (active_email IS NOT NULL "
				+ "OR do_not_contact = TRUE) ORDER BY CASE WHEN active_email IS NULL THEN 1 ELSE 0 END, created_at, id "
				+ "LIMIT 1")
			.param(norm)
			.query(LeadRepository::map)
			.optional();
	}

	public List<Lead> find(LeadFilter filter, int page, int size) {
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM lf_lead");
		where(filter, sql);
		sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(size).append(" OFFSET ").append((long) page * size);
		return bind(jdbc.sql(sql.toString()), filter).query(LeadRepository::map).list();
	}

	public long count(LeadFilter filter) {
		StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM lf_lead");
		where(filter, sql);
		return bind(jdbc.sql(sql.toString()), filter).query(Long.class).single();
	}

	private static void where(LeadFilter filter, StringBuilder sql) {
		StringBuilder where = new StringBuilder();
		if (filter.route() != null) {
			where.append(" AND route = :route");
		}
		if (filter.status() != null) {
			where.append(" AND status = :status");
		}
		if (filter.owner() != null) {
			where.append(" AND owner = :owner");
		}
		if (filter.statuses() != null) {
			where.append(" AND status IN (:statuses)");
		}
		if (!where.isEmpty()) {
			sql.append(" WHERE ").append(where.substring(5));
		}
	}

	private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, LeadFilter filter) {
		if (filter.route() != null) {
			spec = spec.param("route", filter.route().name());
		}
		if (filter.status() != null) {
			spec = spec.param("status", filter.status().name());
		}
		if (filter.owner() != null) {
			spec = spec.param("owner", filter.owner());
		}
		if (filter.statuses() != null) {
			spec = spec.param("statuses", filter.statuses().stream().map(Enum::name).toList());
		}
		return spec;
	}

	public void updateStatus(String id, LeadStatus status, Instant now) {
		Optional<LeadFacts> before = facts(id);
		jdbc.sql("UPDATE lf_lead SET status = :status, updated_at = :now, "
				+ "active_email = CASE WHEN :terminal THEN NULL ELSE email_norm END WHERE id = :id")
			.param("status", status.name())
			.param("now", ts(now))
			.param("terminal", status.isTerminal())
			.param("id", id)
			.update();
		changed(id, before, f -> f.withActive(!status.isTerminal()));
	}

	public void updateRoute(String id, Route route, String lossReason, Instant now) {
		jdbc.sql("UPDATE lf_lead SET route = ?, loss_reason = ?, updated_at = ? WHERE id = ?")
			.params(route.name(), lossReason, ts(now), id)
			.update();
	}

	public void close(String id, boolean doNotContact, Instant now) {
		Optional<LeadFacts> before = facts(id);
		jdbc.sql("UPDATE lf_lead SET status = 'CLOSED', active_email = NULL, updated_at = ?, "
				+ "do_not_contact = CASE WHEN ? THEN TRUE ELSE do_not_contact END WHERE id = ?")
			.params(ts(now), doNotContact, id)
			.update();
		changed(id, before, f -> f.withActive(false));
	}

	public void recordTouch(String id, Instant at, int hearingItems, boolean individualTouch) {
		Optional<LeadFacts> before = individualTouch ? facts(id) : Optional.empty();
		jdbc.sql("UPDATE lf_lead SET hearing_items = hearing_items + ?, updated_at = ?, "
				+ "last_touch_at = CASE WHEN ? THEN ? ELSE last_touch_at END WHERE id = ?")
			.params(hearingItems, ts(at), individualTouch, ts(at), id)
			.update();
		changed(id, before, f -> f.touched(at));
	}

	public void updateOwner(String id, String owner, Instant now) {
		Optional<LeadFacts> before = facts(id);
		jdbc.sql("UPDATE lf_lead SET owner = ?, updated_at = ? WHERE id = ?").params(owner, ts(now), id).update();
		changed(id, before, f -> f.withOwner(owner));
	}

	static String normalizeEmail(String email) {
		return email == null || email.isBlank() ? null : email.trim().toLowerCase(Locale.ROOT);
	}

	static Lead map(ResultSet rs, int row) throws SQLException {
		return new Lead(rs.getString("id"), rs.getString("external_id"), Route.valueOf(rs.getString("route")),
				LeadStatus.valueOf(rs.getString("status")), rs.getString("company"), rs.getString("contact_name"),
				rs.getString("email"), rs.getString("phone"), rs.getString("time_zone"), rs.getString("source"),
				rs.getString("owner"), rs.getBoolean("do_not_contact"), rs.getString("loss_reason"), rs.getString("note"),
				rs.getInt("hearing_items"), instant(rs, "created_at"), instant(rs, "updated_at"),
				instant(rs, "last_touch_at"));
	}

}
