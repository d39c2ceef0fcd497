package com.leadflow.actions;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** POST /api/next-actions/{id}/complete (API.md), extended with the email a rep sends (outcome SENT). */
public record CompletionRequest(@NotNull Outcome outcome,
		@Size(max = 20, message = "at most 20 hearing items") Map<@Size(min = 1, max = 50) String, @Size(max = 500) String> hearing,
		@Size(max = 2000) String note, Instant meetingAt, @Valid NextStep next, @Valid Email email) {

	/** Without an email: an EMAIL or CONTENT action completed with SENT sends its content template unedited. */
	public CompletionRequest(Outcome outcome, Map<String, String> hearing, String note, Instant meetingAt, NextStep next) {
		this(outcome, hearing, note, meetingAt, next, null);
	}

	/** The next action the rep chose instead of the generated one (required for a callback). */
	public record NextStep(@NotNull ActionType type, @NotNull Instant dueAt, @Size(max = 2000) String note) {
	}

	/**
	 * The email sent with outcome SENT: a template (default: the action's content template) whose
	 * subject and body the rep may have edited (an edited body goes out as plain text).
	 */
	public record Email(@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}", message = "must be a template name") String template,
			@Size(max = 200) String subject, @Size(max = 20000) String body) {
	}

}
