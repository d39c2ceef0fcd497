package com.leadflow.kpi;

import com.leadflow.leads.LeadEvent;
import com.leadflow.leads.LeadEventType;

/**
 * What one history event adds to the counters, and for whom. Plain rules: a call is a completed
 * CALL action with any outcome; a contact one that reached the person; hearing items count on
 * contacts; an email is an individual send by a rep (automated content does not count);
 * hand-offs, meetings held and opportunities are credited to the rep who set the meeting.
 */
final class KpiFact {

	private KpiFact() {
	}

	static KpiCounts of(LeadEvent event) {
		if (event.creditedTo() == null) {
			return KpiCounts.ZERO;
		}
		String outcome = event.outcome();
		if (event.type() == LeadEventType.ACTION_COMPLETED && "CALL".equals(event.actionType())) {
			boolean contact = isContact(outcome);
			return new KpiCounts(1, contact ? 1 : 0, "MEETING_SET".equals(outcome) ? 1 : 0,
					contact ? event.hearingCount() : 0, 0, 0, 0, 0);
		}
		if (event.type() == LeadEventType.ACTION_COMPLETED
				&& ("EMAIL".equals(event.actionType()) || "CONTENT".equals(event.actionType())) && "SENT".equals(outcome)) {
			return new KpiCounts(0, 0, 0, 0, 1, 0, 0, 0);
		}
		if (event.type() == LeadEventType.HANDED_OFF) {
			return new KpiCounts(0, 0, 0, 0, 0, 1, 0, 0);
		}
		if (event.type() == LeadEventType.MEETING_HELD) {
			return new KpiCounts(0, 0, 0, 0, 0, 0, 1, "OPPORTUNITY".equals(outcome) ? 1 : 0);
		}
		return KpiCounts.ZERO;
	}

	static boolean isContact(String outcome) {
		return "CONTACTED".equals(outcome) || "MEETING_SET".equals(outcome) || "CALLBACK".equals(outcome)
				|| "NOT_INTERESTED".equals(outcome);
	}

}
