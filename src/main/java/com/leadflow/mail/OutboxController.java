package com.leadflow.mail;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.leadflow.common.Clock;
import com.leadflow.common.ConflictException;
import com.leadflow.common.InvalidRequestException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The outbox for managers: {@code GET /api/mail/outbox?state=FAILED} lists the mails given up
 * (the mail incidents), {@code POST /api/mail/outbox/{id}/retry} gives one another round.
 */
@RestController
class OutboxController {

	private final OutboxRepository rows;

	OutboxController(OutboxRepository rows) {
		this.rows = rows;
	}

	/** An outbox row without its bodies. */
	record Item(String id, String kind, String leadId, String to, String subject, String messageId, String state,
			int attempts, String lastError, Instant createdAt, Instant nextAttemptAt, Instant sentAt) {
	}

	record Page(List<Item> content, int page, int size, long totalElements) {
	}

	@GetMapping("/api/mail/outbox")
	Page list(@RequestParam(defaultValue = "FAILED") String state, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		OutboxState wanted = Arrays.stream(OutboxState.values())
			.filter(s -> s.name().equals(state))
			.findFirst()
			.orElseThrow(() -> new InvalidRequestException("state", "must be one of " + Arrays.toString(OutboxState.values())));
		if (page < 0) {
			throw new InvalidRequestException("page", "must be 0 or more");
		}
		if (size < 1 || size > 500) {
			throw new InvalidRequestException("size", "must be between 1 and 500");
		}
		List<Item> items = rows.list(wanted, size, (long) page * size)
			.stream()
			.map(r -> new Item(r.id(), r.kind().name(), r.leadId(), r.to(), r.subject(), r.messageId(), r.state().name(),
					r.attempts(), r.lastError(), r.createdAt(), r.nextAttemptAt(), r.sentAt()))
			.toList();
		return new Page(items, page, size, rows.count(wanted));
	}

	@PostMapping("/api/mail/outbox/{id}/retry")
	ResponseEntity<Void> retry(@PathVariable String id) {
		if (rows.findById(id).isEmpty()) {
			throw new com.leadflow.common.NotFoundException("No outbox mail " + id + ".");
		}
		if (!rows.retryFailed(id, Clock.now())) {
			throw new ConflictException("Only a FAILED mail can be retried.");
		}
		return ResponseEntity.noContent().build();
	}

}
