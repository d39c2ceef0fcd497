package com.leadflow.actions;

import java.time.Instant;

/** A row of the next-action projection ({@code lf_next_action}). */
public record NextAction(String id, String leadId, ActionType type, ActionStatus status, Instant dueAt, String assignee,
		String candidateGroup, String content, String note, boolean generated, String processInstanceId, String taskId,
		Instant createdAt, Instant completedAt, String completedBy, String outcome) {

	public boolean isOpen() {
		return status == ActionStatus.OPEN;
	}

}
