package com.leadflow.leads.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.imports.ImportRepository.PendingRow;

/**
 * One import as the worker threads of this node share it: hands out its pending rows a chunk at a
 * time, each row once (a thread's chunk is its own), and keeps rows with the same externalId or
 * email in file order across chunks: a row waits while an earlier row with one of its keys is
 * handed out but not done, so the first such row of the file creates the lead and the later ones
 * find it (as when one thread works the whole file). Waits only ever go to earlier rows, so they
 * cannot form a cycle.
 *
 * <p>Rows handed out and left pending (a stop, a database that went away) are not handed out again
 * by this object; once the last thread has left the import, the next poll starts afresh from its
 * first pending row.
 */
final class ImportChunks {

	/** A row as handed out: parsed into a request, or why it cannot be one. */
	record Item(PendingRow row, LeadIntakeRequest request, LeadRows.Rejected rejected, RuntimeException unreadable,
			List<String> keys) {
	}

	record Chunk(List<Item> items) {
	}

	private final ImportRepository imports;

	private final LeadRows rows;

	private final String importId;

	/** Threads working on the import; guarded by this. */
	private int participants;

	/** Rows up to this number have been handed out; guarded by this. */
	private int handedOutUntil;

	/** Rows handed out and not done yet, by key (externalId, normalized email); guarded by this. */
	private final Map<String, TreeSet<Integer>> inFlight = new HashMap<>();

	ImportChunks(ImportRepository imports, LeadRows rows, String importId) {
		this.imports = imports;
		this.rows = rows;
		this.importId = importId;
	}

	synchronized void join() {
		participants++;
	}

	/** True when the last thread left. */
	synchronized boolean leave() {
		return --participants == 0;
	}

	/** The next up to {@code limit} pending rows after those handed out so far, in row order. */
	synchronized Chunk next(int limit) {
		List<Item> items = new ArrayList<>();
		for (PendingRow row : imports.pendingRowsAfter(importId, handedOutUntil, limit)) {
			Item item = parse(row);
			items.add(item);
			for (String key : item.keys()) {
				inFlight.computeIfAbsent(key, k -> new TreeSet<>()).add(row.rowNo());
			}
			handedOutUntil = row.rowNo();
		}
		return new Chunk(items);
	}

	/**
	 * Waits until no earlier row with one of the item's keys is in flight; false when a stop was
	 * requested (or the thread interrupted) meanwhile.
	 */
	synchronized boolean awaitTurn(Item item, BooleanSupplier stopRequested) {
		while (earlierInFlight(item)) {
			if (stopRequested.getAsBoolean()) {
				return false;
			}
			try {
				wait(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/** The row was worked (or given up): later rows with its keys may go. Idempotent. */
	synchronized void done(Item item) {
		boolean changed = false;
		for (String key : item.keys()) {
			TreeSet<Integer> waiting = inFlight.get(key);
			if (waiting != null && waiting.remove(item.row().rowNo())) {
				changed = true;
				if (waiting.isEmpty()) {
					inFlight.remove(key);
				}
			}
		}
		if (changed) {
			notifyAll();
		}
	}

	private boolean earlierInFlight(Item item) {
		for (String key : item.keys()) {
			TreeSet<Integer> waiting = inFlight.get(key);
			if (waiting != null && waiting.first() < item.row().rowNo()) {
				return true;
			}
		}
		return false;
	}

	private Item parse(PendingRow row) {
		try {
			LeadIntakeRequest request = rows.toRequest(row.rawFields());
			List<String> keys = new ArrayList<>(2);
			keys.add("x:" + request.externalId());
			if (request.email() != null && !request.email().isBlank()) {
				// The dedupe's own normalization of an email: trimmed, lower case.
				keys.add("e:" + request.email().trim().toLowerCase(Locale.ROOT));
			}
			return new Item(row, request, null, null, List.copyOf(keys));
		}
		catch (LeadRows.Rejected rejected) {
			return new Item(row, null, rejected, null, List.of());
		}
		catch (RuntimeException unreadable) {
			return new Item(row, null, null, unreadable, List.of());
		}
	}

}
