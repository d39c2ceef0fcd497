package com.leadflow.kpi;

/** Counted work (DESIGN.md, KPIs). */
public record KpiCounts(long calls, long contacts, long meetings, long hearingItems, long emails, long handoffs,
		long meetingsHeld, long opportunities) {

	static final KpiCounts ZERO = new KpiCounts(0, 0, 0, 0, 0, 0, 0, 0);

	KpiCounts plus(KpiCounts o) {
		return new KpiCounts(calls + o.calls, contacts + o.contacts, meetings + o.meetings, hearingItems + o.hearingItems,
				emails + o.emails, handoffs + o.handoffs, meetingsHeld + o.meetingsHeld, opportunities + o.opportunities);
	}

	boolean isEmpty() {
		return equals(ZERO);
	}

}
