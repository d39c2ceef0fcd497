package com.leadflow.leads;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A lead as the API shows it (API.md). {@code history} only on GET /api/leads/{id}. */
public record LeadView(String id, String externalId, Route route, LeadStatus status, String company, String contactName,
		String email, String phone, String timeZone, String source, String owner, boolean doNotContact,
		boolean deduplicated, Instant createdAt, Instant lastTouchAt, NextActionView nextAction,
		@JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryEntry> history) {

	public static LeadView of(Lead lead, NextActionView nextAction, boolean deduplicated, List<HistoryEntry> history) {
		return new LeadView(lead.id(), lead.externalId(), lead.route(), lead.status(), lead.company(), lead.contactName(),
				lead.email(), lead.phone(), lead.timeZone(), lead.source(), lead.owner(), lead.doNotContact(),
				deduplicated, lead.createdAt(), lead.lastTouchAt(), nextAction, history);
	}

	/** The lead's open next action. */
	public record NextActionView(String id, String type, Instant dueAt, String assignee, String candidateGroup,
			String content, String note) {
	}

	/** One entry of the history, oldest first. */
	public record HistoryEntry(Instant at, String type, String outcome, String by, String note, String actionType,
			Route route, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> hearing) {

		public static HistoryEntry of(LeadEvent event) {
			return new HistoryEntry(event.at(), event.type().name(), event.outcome(), event.by(), event.note(),
					event.actionType(), event.route(), event.hearing());
		}
	}

}
