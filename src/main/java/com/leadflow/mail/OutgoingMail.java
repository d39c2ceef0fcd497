package com.leadflow.mail;

import java.util.Map;

/**
 * A mail to write into the outbox.
 *
 * @param leadId the lead it is about (to or about), or null
 * @param html the HTML alternative, or null for plain text only
 * @param headers extra headers, values already ASCII (MIME-encoded where needed)
 * @param dedupeKey a business key the mail must be unique by, or null
 */
public record OutgoingMail(MailKind kind, String leadId, String to, String subject, String text, String html,
		Map<String, String> headers, String dedupeKey) {

	public OutgoingMail {
		headers = headers == null ? Map.of() : Map.copyOf(headers);
		// A line break in a header value would let data inject further headers.
		subject = subject.replaceAll("[\\r\\n\\t]+", " ").strip();
	}

}
