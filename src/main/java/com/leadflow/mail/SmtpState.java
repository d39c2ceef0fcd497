package com.leadflow.mail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this node last saw of the SMTP server: kept from the sender's own attempts, so reporting it
 * costs no connection. Shown in {@code /actuator/info}, deliberately not in health: mail is retried
 * from the outbox, and an SMTP outage must not take the node out of service. Times are wall-clock
 * (this is about the real server, not the business clock the engine may be given).
 */
class SmtpState {

	private volatile String status = "UNKNOWN";

	private volatile Instant lastSuccessAt;

	private volatile Instant lastFailureAt;

	private volatile String lastError;

	void succeeded() {
		lastSuccessAt = Instant.now();
		status = "UP";
	}

	void failed(String error) {
		lastFailureAt = Instant.now();
		lastError = error;
		status = "DOWN";
	}

	/** UP after a delivery, DOWN after a failed one, UNKNOWN before any. */
	String status() {
		return status;
	}

	Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", status);
		details.put("lastSuccessAt", lastSuccessAt);
		details.put("lastFailureAt", lastFailureAt);
		details.put("lastError", lastError);
		return details;
	}

}
