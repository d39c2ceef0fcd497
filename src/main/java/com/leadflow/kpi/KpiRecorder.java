package com.leadflow.kpi;

import com.leadflow.leads.LeadEvent;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns each history event into KPI counters, in the transaction that recorded it, so a counter
 * can never disagree with the work done. Micrometer counters follow after commit.
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
		kpis.add(event.day(), event.creditedTo(), route, counts);
		Runnable publish = () -> count(event.creditedTo(), route, counts);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					publish.run();
				}
			});
		}
		else {
			publish.run();
		}
	}

	private void count(String rep, String route, KpiCounts c) {
		increment("calls", rep, route, c.calls());
		increment("contacts", rep, route, c.contacts());
		increment("meetings", rep, route, c.meetings());
		increment("hearing_items", rep, route, c.hearingItems());
		increment("emails", rep, route, c.emails());
		increment("handoffs", rep, route, c.handoffs());
		increment("meetings_held", rep, route, c.meetingsHeld());
		increment("opportunities", rep, route, c.opportunities());
	}

	private void increment(String kpi, String rep, String route, long amount) {
		if (amount > 0) {
			meters.counter("leadflow.kpi", "kpi", kpi, "rep", rep, "route", route).increment(amount);
		}
	}

}
