package com.leadflow.actions;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** POST /api/next-actions/{id}/complete (API.md). */
public record CompletionRequest(@NotNull Outcome outcome,
		@Size(max = 20, message = "at most 20 hearing items") Map<@Size(min = 1, max = 50) String, @Size(max = 500) String> hearing,
		@Size(max = 2000) String note, Instant meetingAt, @Valid NextStep next) {

	/** The next action the rep chose instead of the generated one (required for a callback). */
	public record NextStep(@NotNull ActionType type, @NotNull Instant dueAt, @Size(max = 2000) String note) {
	}

}
