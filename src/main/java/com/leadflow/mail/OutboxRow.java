package com.leadflow.mail;

import java.time.Instant;
import java.util.Map;

/** A row of {@code lf_outbox}. */
public record OutboxRow(String id, MailKind kind, String leadId, String to, String subject, String text, String html,
		Map<String, String> headers, String messageId, OutboxState state, int attempts, Instant nextAttemptAt,
		String claimedBy, Instant claimedUntil, String lastError, Instant createdAt, Instant sentAt) {
}
