package com.leadflow.mail;

import java.util.Optional;
import java.util.UUID;

import com.leadflow.common.Clock;
import com.leadflow.common.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes mail into the outbox, inside the caller's transaction (MANDATORY: a mail written outside
 * the step that decided it could outlive a rollback of that step). {@link OutboxSender} sends it
 * after commit.
 */
@Component
public class Outbox {

	private static final Logger log = LoggerFactory.getLogger(Outbox.class);

	private final OutboxRepository rows;

	Outbox(OutboxRepository rows) {
		this.rows = rows;
	}

	/**
	 * Queues the mail; returns its Message-ID, or empty when it is refused: mail to a lead that is
	 * closed or do-not-contact, or a second mail with the same dedupe key.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<String> enqueue(OutgoingMail mail) {
		if (mail.kind().toLead() && (mail.leadId() == null || !rows.leadMayBeMailed(mail.leadId()))) {
			log.info("Not queuing {} to lead {}: the lead is closed or do-not-contact", mail.kind(), mail.leadId());
			return Optional.empty();
		}
		if (mail.dedupeKey() != null && rows.dedupeKeyExists(mail.dedupeKey())) {
			return Optional.empty();
		}
		// Fixed when written, so every attempt (on any node) sends the same Message-ID.
		String messageId = "<" + UUID.randomUUID() + "@leadflow>";
		try {
			rows.insert(Ids.newId(), mail, messageId, Clock.now());
		}
		catch (org.springframework.dao.DuplicateKeyException raced) {
			// Another node wrote the same dedupe key just now; caught here so the caller's transaction goes on.
			return Optional.empty();
		}
		return Optional.of(messageId);
	}

}
