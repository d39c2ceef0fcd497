package com.leadflow.mail;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes {@code lf_outbox}. Every state change after the claim names the claiming node,
 * so a node whose claim expired (and was taken over) cannot overwrite the newer owner's result.
 */
@Repository
class OutboxRepository {

	private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	OutboxRepository(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	void insert(String id, OutgoingMail mail, String messageId, Instant now) {
		jdbc.sql("INSERT INTO lf_outbox (id, kind, lead_id, to_address, subject, body_text, body_html, headers, message_id, "
				+ "dedupe_key, state, attempts, next_attempt_at, created_at) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")
			.params(id, mail.kind().name(), mail.leadId(), mail.to(), mail.subject(), mail.text(), mail.html(),
					writeHeaders(mail.headers()), messageId, mail.dedupeKey(), ts(now), ts(now))
			.update();
	}

	boolean dedupeKeyExists(String key) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_outbox WHERE dedupe_key = ?").param(key).query(Long.class).single() > 0;
	}

	/** Whether the lead may get mail: it exists, is not closed and did not ask to be left alone. */
	boolean leadMayBeMailed(String leadId) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_lead WHERE id = ? AND status <> 'CLOSED' AND do_not_contact = FALSE")
			.param(leadId)
			.query(Long.class)
			.single() > 0;
	}

	/** Ids of rows to send now: pending and due, or claimed by a node whose claim has expired. */
	List<String> dueIds(Instant now, int limit) {
		return jdbc.sql("SELECT id FROM lf_outbox WHERE (state = 'PENDING' AND next_attempt_at <= :now) "
				+ "OR (state = 'SENDING' AND claimed_until < :now) ORDER BY next_attempt_at, id LIMIT " + limit)
			.param("now", ts(now))
			.query(String.class)
			.list();
	}

	/**
	 * Claims one row for this node; true only for the one node whose UPDATE changed it. Counts the
	 * attempt now, so a node dying mid-send still uses up an attempt.
	 */
	boolean claim(String id, String node, Instant now, Instant until) {
		return jdbc.sql("UPDATE lf_outbox SET state = 'SENDING', claimed_by = :node, claimed_until = :until, "
				+ "attempts = attempts + 1 WHERE id = :id AND ((state = 'PENDING' AND next_attempt_at <= :now) "
				+ "OR (state = 'SENDING' AND claimed_until < :now))")
			.param("node", node)
			.param("until", ts(until))
			.param("id", id)
			.param("now", ts(now))
			.update() == 1;
	}

	Optional<OutboxRow> findById(String id) {
		return jdbc.sql("SELECT * FROM lf_outbox WHERE id = ?").param(id).query(this::map).optional();
	}

	Optional<OutboxRow> findByMessageId(String messageId) {
		return jdbc.sql("SELECT * FROM lf_outbox WHERE message_id = ?").param(messageId).query(this::map).optional();
	}

	boolean markSent(String id, String node, Instant at) {
		return finish(id, node, "UPDATE lf_outbox SET state = 'SENT', sent_at = ?, claimed_until = NULL, last_error = NULL",
				ts(at));
	}

	boolean markRetry(String id, String node, Instant nextAttemptAt, String error) {
		return finish(id, node, "UPDATE lf_outbox SET state = 'PENDING', next_attempt_at = ?, claimed_until = NULL, "
				+ "last_error = ?", ts(nextAttemptAt), truncate(error));
	}

	boolean markFailed(String id, String node, String error) {
		return finish(id, node, "UPDATE lf_outbox SET state = 'FAILED', claimed_until = NULL, last_error = ?",
				truncate(error));
	}

	boolean markCancelled(String id, String node, String reason) {
		return finish(id, node, "UPDATE lf_outbox SET state = 'CANCELLED', claimed_until = NULL, last_error = ?", reason);
	}

	private boolean finish(String id, String node, String update, Object... values) {
		Object[] params = new Object[values.length + 2];
		System.arraycopy(values, 0, params, 0, values.length);
		params[values.length] = id;
		params[values.length + 1] = node;
		return jdbc.sql(update + " WHERE id = ? AND state = 'SENDING' AND claimed_by = ?").params(params).update() == 1;
	}

	/** A manager gives a FAILED mail another round of attempts. */
	boolean retryFailed(String id, Instant now) {
		return jdbc.sql("UPDATE lf_outbox SET state = 'PENDING', attempts = 0, next_attempt_at = ?, claimed_by = NULL "
				+ "WHERE id = ? AND state = 'FAILED'")
			.params(ts(now), id)
			.update() == 1;
	}

	long count(OutboxState state) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_outbox WHERE state = ?").param(state.name()).query(Long.class).single();
	}

	List<OutboxRow> list(OutboxState state, int limit, long offset) {
		return jdbc.sql("SELECT * FROM lf_outbox WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT " + limit
				+ " OFFSET " + offset)
			.param(state.name())
			.query(this::map)
			.list();
	}

	/** Takes a cluster-wide lock row of {@code lf_scheduler_lock} until {@code until}; false when another node holds it. */
	boolean lock(String name, Instant now, Instant until, String node) {
		return jdbc.sql("UPDATE lf_scheduler_lock SET locked_until = ?, locked_by = ? WHERE name = ? AND locked_until < ?")
			.params(ts(until), node, name, ts(now))
			.update() == 1;
	}

	private OutboxRow map(ResultSet rs, int row) throws SQLException {
		return new OutboxRow(rs.getString("id"), MailKind.valueOf(rs.getString("kind")), rs.getString("lead_id"),
				rs.getString("to_address"), rs.getString("subject"), rs.getString("body_text"), rs.getString("body_html"),
				readHeaders(rs.getString("headers")), rs.getString("message_id"), OutboxState.valueOf(rs.getString("state")),
				rs.getInt("attempts"), instant(rs, "next_attempt_at"), rs.getString("claimed_by"),
				instant(rs, "claimed_until"), rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "sent_at"));
	}

	private String writeHeaders(Map<String, String> headers) {
		try {
			return json.writeValueAsString(headers);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("mail headers cannot be written", ex);
		}
	}

	private Map<String, String> readHeaders(String text) {
		if (text == null || text.isBlank()) {
			return Map.of();
		}
		try {
			return json.readValue(text, HEADERS);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("unreadable mail headers in the outbox", ex);
		}
	}

	private static String truncate(String text) {
		return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
	}

}
