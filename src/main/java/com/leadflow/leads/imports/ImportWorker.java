package com.leadflow.leads.imports;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import com.leadflow.common.Clock;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.InvalidRequestException.FieldError;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.imports.ImportRepository.Import;
import com.leadflow.leads.imports.ImportRepository.PendingRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works through stored imports: each row goes through {@link LeadIntakeService#submit} exactly as
 * a single {@code POST /api/leads} would, in one transaction with marking the row DONE, so a crash
 * leaves either both or neither. A node claims an import before working on it and renews the claim
 * with every chunk; a claim whose heartbeat is older than {@code stale-after} is taken over.
 * Correctness does not rest on the claim (rows are locked and re-checked, intake is idempotent on
 * externalId); the claim only keeps nodes from doing the same work twice.
 *
 * <p>The worker threads of the node that holds an import share it: each takes the next chunk of
 * pending rows ({@link ImportChunks}), so a file's chunks are worked side by side. Rows of one file
 * that name the same externalId or email still go in in file order (a row waits for an earlier one
 * with the same key that another thread holds), so the first of them creates the lead, as when
 * one thread works the file.
 */
@Component
class ImportWorker {

	private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);

	private static final int MAX_MESSAGE = 1000;

	private final ImportRepository imports;

	private final LeadRows rows;

	private final LeadIntakeService intake;

	private final ImportProperties properties;

	private final NodeId node;

	private final TransactionTemplate tx;

	/** Imports threads of this node are working on (the claim is per node), with the chunks handed out. */
	private final Map<String, ImportChunks> working = new ConcurrentHashMap<>();

	/**
	 * Heartbeats are about liveness between nodes, so they follow the wall clock, never the engine
	 * clock that tests (and simulations) move with ClockUtil.
	 */
	private final java.time.Clock wallClock = java.time.Clock.systemUTC();

	ImportWorker(ImportRepository imports, LeadRows rows, LeadIntakeService intake, ImportProperties properties,
			NodeId node, PlatformTransactionManager transactions) {
		this.imports = imports;
		this.rows = rows;
		this.intake = intake;
		this.properties = properties;
		this.node = node;
		this.tx = new TransactionTemplate(transactions);
	}

	/** Works on every import this node can claim until none is left; returns how many it finished. */
	int runOnce() {
		return runOnce(() -> false);
	}

	int runOnce(BooleanSupplier stopRequested) {
		int finished = 0;
		boolean progress = true;
		while (progress && !stopRequested.getAsBoolean()) {
			progress = false;
			for (String id : imports.claimable(node, staleBefore())) {
				if (stopRequested.getAsBoolean()) {
					break;
				}
				if (process(id, stopRequested)) {
					finished++;
					progress = true;
				}
			}
		}
		return finished;
	}

	/**
	 * Claims the import and works on it, together with the other threads of this node that do, until
	 * it is DONE, no chunk is left to take, the claim is lost or a stop is requested (then the claim is
	 * released, so the next start takes over at once). True when it ended DONE or FAILED here.
	 */
	boolean process(String importId, BooleanSupplier stopRequested) {
		ImportChunks chunks = join(importId);
		try {
			while (true) {
				if (stopRequested.getAsBoolean()) {
					imports.release(importId, node);
					return false;
				}
				int handled = processChunk(importId, chunks, properties.chunkSize(), stopRequested);
				if (handled < 0) {
					return false;
				}
				ImportStatus status = imports.find(importId).map(Import::status).orElse(ImportStatus.FAILED);
				if (status != ImportStatus.RUNNING) {
					return true;
				}
				if (handled == 0 && !stopRequested.getAsBoolean()) {
					// Every pending row is handed out (others are working on the last chunks), or none is
					// workable left: never spin; what is still pending is taken up at the next poll.
					return false;
				}
			}
		}
		finally {
			leave(importId, chunks);
		}
	}

	private ImportChunks join(String importId) {
		return working.compute(importId, (id, chunks) -> {
			ImportChunks joined = chunks == null ? new ImportChunks(imports, rows, id) : chunks;
			joined.join();
			return joined;
		});
	}

	private void leave(String importId, ImportChunks chunks) {
		// The last thread out forgets the import; the next poll starts again from its first pending row.
		working.computeIfPresent(importId, (id, current) -> current == chunks && chunks.leave() ? null : current);
	}

	/**
	 * Claims (or renews the claim on) the import, works on up to {@code limit} pending rows in row
	 * order, updates the counters, and marks the import DONE when no row is pending any more.
	 * Returns the rows handled, or -1 when another node holds the import. Package-private for tests,
	 * which stop an import half-way with it.
	 */
	int processChunk(String importId, int limit) {
		ImportChunks chunks = join(importId);
		try {
			return processChunk(importId, chunks, limit, () -> false);
		}
		finally {
			leave(importId, chunks);
		}
	}

	private int processChunk(String importId, ImportChunks chunks, int limit, BooleanSupplier stopRequested) {
		if (!imports.claim(importId, node, wallClock.instant(), staleBefore())) {
			return -1;
		}
		Import current = imports.find(importId).orElseThrow();
		ImportChunks.Chunk chunk = chunks.next(limit);
		int handled = 0;
		try {
			for (ImportChunks.Item item : chunk.items()) {
				if (stopRequested.getAsBoolean() || !chunks.awaitTurn(item, stopRequested)) {
					break;
				}
				try {
					processRow(current, item);
				}
				finally {
					chunks.done(item);
				}
				handled++;
			}
		}
		catch (RuntimeException ex) {
			if (isTransient(ex)) {
				// The database is away: the row stays pending and is retried at the next poll.
				throw ex;
			}
			log.error("Import {} cannot go on: row could not even be marked as failed; the import is marked FAILED",
					importId, ex);
			imports.updateCounters(importId);
			imports.markImportFailed(importId, Clock.now());
			return handled;
		}
		finally {
			// Rows of the chunk left unworked (a stop, an error) no longer hold back rows of other chunks.
			chunk.items().forEach(chunks::done);
		}
		imports.updateCounters(importId);
		imports.finishIfComplete(importId, Clock.now());
		return handled;
	}

	private void processRow(Import current, ImportChunks.Item item) {
		PendingRow row = item.row();
		if (item.rejected() != null) {
			fail(current, row, item.rejected().errors());
			return;
		}
		if (item.unreadable() != null) {
			unexpected(current, row, item.unreadable());
			return;
		}
		LeadIntakeRequest request = item.request();
		for (int attempt = 1;; attempt++) {
			try {
				tx.executeWithoutResult(status -> submit(current, row, request));
				return;
			}
			catch (InvalidRequestException invalid) {
				fail(current, row, invalid.errors());
				return;
			}
			catch (DuplicateKeyException raced) {
				// The same externalId or email was committed concurrently (another import, the API):
				// a second attempt finds that lead, like the single-lead API does.
				if (attempt == 2) {
					unexpected(current, row, raced);
					return;
				}
			}
			catch (RuntimeException ex) {
				if (isTransient(ex)) {
					throw ex;
				}
				unexpected(current, row, ex);
				return;
			}
		}
	}

	private void unexpected(Import current, PendingRow row, RuntimeException ex) {
		log.warn("Import {} row {}: unexpected error, the row is reported as failed", current.id(), row.rowNo(), ex);
		fail(current, row, List.of(new FieldError(null, "could not be imported because of an unexpected error ("
				+ ex.getClass().getSimpleName() + "); the server log has the details")));
	}

	private void submit(Import current, PendingRow row, LeadIntakeRequest request) {
		if (!imports.lockPending(current.id(), row.rowNo())) {
			return; // another node finished it meanwhile
		}
		LeadIntakeService.Result result = intake.submit(request, current.submittedBy());
		RowOutcome outcome = result.created() ? RowOutcome.CREATED
				: result.deduplicated() ? RowOutcome.DEDUPLICATED : RowOutcome.EXISTING;
		if (imports.markDone(current.id(), row.rowNo(), result.leadId(), outcome) != 1) {
			// Cannot happen while the row is locked; if it did, roll the lead back rather than leave it unmarked.
			throw new IllegalStateException("row " + row.rowNo() + " of import " + current.id() + " was not pending");
		}
	}

	/** Reports the first error in column order as the row's field; the others are named in the message. */
	private void fail(Import current, PendingRow row, List<FieldError> errors) {
		FieldError first = errors.get(0);
		StringBuilder message = new StringBuilder(first.message());
		for (FieldError more : errors.subList(1, errors.size())) {
			message.append("; also ").append(more.field()).append(": ").append(more.message());
		}
		String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message.toString();
		imports.markFailed(current.id(), row.rowNo(), first.field(), text);
	}

	private Instant staleBefore() {
		return wallClock.instant().minus(properties.staleAfter());
	}

	/** Errors that say nothing about the row: the database or the connection to it is away. */
	static boolean isTransient(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
					|| t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
					|| t instanceof TransactionSystemException
					|| t instanceof SQLTransientException || t instanceof SQLRecoverableException
					|| t instanceof SQLNonTransientConnectionException) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

}
