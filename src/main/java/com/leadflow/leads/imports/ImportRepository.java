package com.leadflow.leads.imports;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads and writes {@code lf_import} and {@code lf_import_row}. */
@Repository
class ImportRepository {

	private final JdbcClient jdbc;

	private final JdbcTemplate batch;

	ImportRepository(JdbcClient jdbc, JdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	/** An import as stored, with the counters of its last update. */
	record Import(String id, ImportStatus status, String submittedBy, Instant createdAt, Instant finishedAt, int total,
			int processed, int created, int deduplicated, int failed) {
	}

	/** A row still to be worked on, with its values as stored (JSON). */
	record PendingRow(int rowNo, String rawFields) {
	}

	/** A row that failed: {@code field} is null when the row as a whole is wrong. */
	record RowError(int row, String field, String message) {
	}

	/** One row to store at upload: FAILED already when {@code error} is set. */
	record NewRow(int rowNo, String rawFields, String error) {
	}

	void insert(String id, String submittedBy, Instant createdAt) {
		jdbc.sql("INSERT INTO lf_import (id, status, submitted_by, created_at) VALUES (?, ?, ?, ?)")
			.params(id, ImportStatus.RUNNING.name(), submittedBy, ts(createdAt))
			.update();
	}

	void insertRows(String importId, List<NewRow> rows) {
		batch.batchUpdate("INSERT INTO lf_import_row (import_id, row_no, raw_fields, state, error_message) "
				+ "VALUES (?, ?, ?, ?, ?)", rows, rows.size(), (ps, row) -> {
					ps.setString(1, importId);
					ps.setInt(2, row.rowNo());
					ps.setString(3, row.rawFields());
					ps.setString(4, row.error() == null ? RowState.PENDING.name() : RowState.FAILED.name());
					ps.setString(5, row.error());
				});
	}

	Optional<Import> find(String id) {
		return jdbc.sql("SELECT id, status, submitted_by, created_at, finished_at, total, processed, created, "
				+ "deduplicated, failed FROM lf_import WHERE id = ?")
			.param(id)
			.query((rs, n) -> new Import(rs.getString("id"), ImportStatus.valueOf(rs.getString("status")),
					rs.getString("submitted_by"), instant(rs, "created_at"), instant(rs, "finished_at"), rs.getInt("total"),
					rs.getInt("processed"), rs.getInt("created"), rs.getInt("deduplicated"), rs.getInt("failed")))
			.optional();
	}

	/** The first {@code limit} failed rows by row number. */
	List<RowError> errors(String importId, int limit) {
		return jdbc.sql("SELECT row_no, error_field, error_message FROM lf_import_row WHERE import_id = ? AND state = ? "
				+ "ORDER BY row_no LIMIT " + limit)
			.params(importId, RowState.FAILED.name())
			.query((rs, n) -> new RowError(rs.getInt("row_no"), rs.getString("error_field"), rs.getString("error_message")))
			.list();
	}

	/** Recomputes the counters from the row states, so they are right however often a chunk was re-run. */
	void updateCounters(String importId) {
		int total = 0;
		int processed = 0;
		int created = 0;
		int deduplicated = 0;
		int failed = 0;
		List<Object[]> counts = jdbc.sql("SELECT state, outcome, COUNT(*) AS n FROM lf_import_row WHERE import_id = ? "
				+ "GROUP BY state, outcome")
			.param(importId)
			.query((rs, n) -> new Object[] { rs.getString("state"), rs.getString("outcome"), rs.getInt("n") })
			.list();
		for (Object[] count : counts) {
			RowState state = RowState.valueOf((String) count[0]);
			int n = (Integer) count[2];
			total += n;
			if (state != RowState.PENDING) {
				processed += n;
			}
			if (state == RowState.FAILED) {
				failed += n;
			}
			else if (state == RowState.DONE) {
				if (RowOutcome.CREATED.name().equals(count[1])) {
					created += n;
				}
				else {
					deduplicated += n;
				}
			}
		}
		jdbc.sql("UPDATE lf_import SET total = ?, processed = ?, created = ?, deduplicated = ?, failed = ? WHERE id = ?")
			.params(total, processed, created, deduplicated, failed, importId)
			.update();
	}

	/** RUNNING imports nobody (alive) holds, or this node holds, oldest first. */
	List<String> claimable(NodeId node, Instant staleBefore) {
		return jdbc.sql("SELECT id FROM lf_import WHERE status = ? AND (claimed_by IS NULL OR claimed_by = ? "
				+ "OR heartbeat_at < ?) ORDER BY created_at, id")
			.params(ImportStatus.RUNNING.name(), node.value(), ts(staleBefore))
			.query(String.class)
			.list();
	}

	/**
	 * Takes the import for {@code node}, or refreshes its heartbeat when it holds it already. One
	 * atomic update, so of two nodes racing for a stale claim exactly one wins.
	 */
	boolean claim(String importId, NodeId node, Instant now, Instant staleBefore) {
		return jdbc.sql("UPDATE lf_import SET claimed_by = :node, heartbeat_at = :now WHERE id = :id AND status = :running "
				+ "AND (claimed_by IS NULL OR claimed_by = :node OR heartbeat_at < :stale)")
			.param("node", node.value())
			.param("now", ts(now))
			.param("id", importId)
			.param("running", ImportStatus.RUNNING.name())
			.param("stale", ts(staleBefore))
			.update() == 1;
	}

	/** Gives the import up (on shutdown) so another node or the next start takes it at once. */
	void release(String importId, NodeId node) {
		jdbc.sql("UPDATE lf_import SET claimed_by = NULL, heartbeat_at = NULL WHERE id = ? AND claimed_by = ?")
			.params(importId, node.value())
			.update();
	}

	/** Marks the import DONE when no row is pending any more; false when rows are left (or it is not RUNNING). */
	boolean finishIfComplete(String importId, Instant now) {
		return jdbc.sql("UPDATE lf_import SET status = ?, finished_at = ? WHERE id = ? AND status = ? AND NOT EXISTS "
				+ "(SELECT 1 FROM lf_import_row r WHERE r.import_id = ? AND r.state = ?)")
			.params(ImportStatus.DONE.name(), ts(now), importId, ImportStatus.RUNNING.name(), importId,
					RowState.PENDING.name())
			.update() == 1;
	}

	void markImportFailed(String importId, Instant now) {
		jdbc.sql("UPDATE lf_import SET status = ?, finished_at = ? WHERE id = ? AND status = ?")
			.params(ImportStatus.FAILED.name(), ts(now), importId, ImportStatus.RUNNING.name())
			.update();
	}

	/** Pending rows numbered above {@code afterRowNo}, in row order. */
	List<PendingRow> pendingRowsAfter(String importId, int afterRowNo, int limit) {
		return jdbc.sql("SELECT row_no, raw_fields FROM lf_import_row WHERE import_id = ? AND state = ? AND row_no > ? "
				+ "ORDER BY row_no LIMIT " + limit)
			.params(importId, RowState.PENDING.name(), afterRowNo)
			.query((rs, n) -> new PendingRow(rs.getInt("row_no"), rs.getString("raw_fields")))
			.list();
	}

	/**
	 * Locks the row until the transaction ends if it is still pending: a second node working the
	 * same row waits here and then finds it done, instead of submitting it again.
	 */
	boolean lockPending(String importId, int rowNo) {
		return jdbc.sql("SELECT row_no FROM lf_import_row WHERE import_id = ? AND row_no = ? AND state = ? FOR UPDATE")
			.params(importId, rowNo, RowState.PENDING.name())
			.query(Integer.class)
			.optional()
			.isPresent();
	}

	int markDone(String importId, int rowNo, String leadId, RowOutcome outcome) {
		return jdbc.sql("UPDATE lf_import_row SET state = ?, lead_id = ?, outcome = ? WHERE import_id = ? AND row_no = ? "
				+ "AND state = ?")
			.params(RowState.DONE.name(), leadId, outcome.name(), importId, rowNo, RowState.PENDING.name())
			.update();
	}

	int markFailed(String importId, int rowNo, String field, String message) {
		return jdbc.sql("UPDATE lf_import_row SET state = ?, error_field = ?, error_message = ? WHERE import_id = ? "
				+ "AND row_no = ? AND state = ?")
			.params(RowState.FAILED.name(), field, message, importId, rowNo, RowState.PENDING.name())
			.update();
	}

}
