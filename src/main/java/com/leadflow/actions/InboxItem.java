package com.leadflow.actions;

import java.time.Instant;

/** One row of a user's inbox (API.md). */
public record InboxItem(String id, String leadId, String company, String contactName, ActionType type, String route,
		Instant dueAt, String assignee, String candidateGroup, boolean overdue) {

}
