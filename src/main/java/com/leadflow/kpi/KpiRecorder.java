package com.leadflow.kpi;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import com.leadflow.leads.LeadEvent;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns each history event into KPI counters, in the transaction that recorded it, so a counter
 * can never disagree with the work done. Micrometer counters follow after commit.
 *
 * <p>The counter rows ({@code lf_kpi_day}: one per day, rep and route) are hot: every completion of a
 * rep's day adds to the same row. A transaction therefore collects its increments and writes them just
 * before it commits, in key order: the row lock is held for the commit only, not for the engine work
 * of the whole completion, and two transactions never lock the same rows in opposite order.
 */
@Component
class KpiRecorder {

	private final KpiRepository kpis;

	private final MeterRegistry meters;

	KpiRecorder(KpiRepository kpis, MeterRegistry meters) {
		this.kpis = kpis;
		this.meters = meters;
	}

	@EventListener
	void on(LeadEvent event) {
		KpiCounts counts = KpiFact.of(event);
		if (counts.isEmpty()) {
			return;
		}
		String route = event.route() == null ? "NONE" : event.route().name();
		Key key = new Key(event.day(), event.creditedTo(), route);
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			kpis.add(key.day(), key.rep(), key.route(), counts);
			count(key, counts);
			return;
		}
		pending().counts.merge(key, counts, KpiCounts::plus);
	}

	/** The current transaction's increments, registered on first use. */
	private Pending pending() {
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof Pending pending && pending.recorder() == this) {
				return pending;
			}
		}
		Pending pending = new Pending();
		TransactionSynchronizationManager.registerSynchronization(pending);
		return pending;
	}

	private void count(Key key, KpiCounts c) {
		increment("calls", key, c.calls());
		increment("contacts", key, c.contacts());
		increment("meetings", key, c.meetings());
		increment("hearing_items", key, c.hearingItems());
		increment("emails", key, c.emails());
		increment("handoffs", key, c.handoffs());
		increment("meetings_held", key, c.meetingsHeld());
		increment("opportunities", key, c.opportunities());
	}

	private void increment(String kpi, Key key, long amount) {
		if (amount > 0) {
			meters.counter("leadflow.kpi", "kpi", kpi, "rep", key.rep(), "route", key.route()).increment(amount);
		}
	}

	/** A counter row: day, rep, route; ordered so that every transaction locks rows in the same order. */
	private record Key(LocalDate day, String rep, String route) implements Comparable<Key> {

		private static final Comparator<Key> ORDER = Comparator.comparing(Key::day)
			.thenComparing(Key::rep, Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing(Key::route);

		@Override
		public int compareTo(Key o) {
			return ORDER.compare(this, o);
		}

	}

	/** One transaction's increments: written before it commits, published to Micrometer after. */
	private final class Pending implements TransactionSynchronization {

		final TreeMap<Key, KpiCounts> counts = new TreeMap<>();

		KpiRecorder recorder() {
			return KpiRecorder.this;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			for (Map.Entry<Key, KpiCounts> e : counts.entrySet()) {
				kpis.add(e.getKey().day(), e.getKey().rep(), e.getKey().route(), e.getValue());
			}
		}

		@Override
		public void afterCommit() {
			counts.forEach(KpiRecorder.this::count);
		}

		@Override
		public int getOrder() {
			// Among the last writes before the commit (the audit's ledger is the very last).
			return LOWEST_PRECEDENCE - 1;
		}

	}

}
