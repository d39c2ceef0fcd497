package com.leadflow.leads;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** POST /api/leads/{id}/events: sales or a manager reports what happened outside Leadflow. */
public record LeadEventRequest(@NotNull Kind type, LossReason reason, @Size(max = 2000) String note) {

	public enum Kind {

		DEAL_LOST, DO_NOT_CONTACT

	}

}
