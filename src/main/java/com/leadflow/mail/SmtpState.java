package com.leadflow.mail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this node last saw of the SMTP server, from the sender's own deliveries and from the
 * {@code mail} health check's connection tests: the newest observation wins. Shown in
 * {@code /actuator/info} and {@code /actuator/health/mail}; an SMTP outage makes mail DEGRADED,
 * never DOWN, because mail is retried from the outbox and the node stays in service. Times are
 * wall-clock (this is about the real server, not the business clock the engine may be given).
 */
class SmtpState {

	static final String BY_SENDER = "outbox sender";

	static final String BY_HEALTH_CHECK = "health check";

	private volatile String status = "UNKNOWN";

	private volatile Instant lastSuccessAt;

	private volatile Instant lastFailureAt;

	private volatile String lastError;

	private volatile Instant lastCheckedAt;

	private volatile String checkedBy;

	void succeeded() {
		succeeded(BY_SENDER);
	}

	void failed(String error) {
		failed(BY_SENDER, error);
	}

	synchronized void succeeded(String by) {
		Instant now = Instant.now();
		lastSuccessAt = now;
		lastCheckedAt = now;
		checkedBy = by;
		status = "UP";
	}

	synchronized void failed(String by, String error) {
		Instant now = Instant.now();
		lastFailureAt = now;
		lastCheckedAt = now;
		checkedBy = by;
		lastError = error;
		status = "DOWN";
	}

	/** UP after a delivery or a good connection test, DOWN after a failed one, UNKNOWN before any. */
	String status() {
		return status;
	}

	/** When the newest observation was made (null before any). */
	Instant lastCheckedAt() {
		return lastCheckedAt;
	}

	String checkedBy() {
		return checkedBy;
	}

	String lastError() {
		return lastError;
	}

	Instant lastSuccessAt() {
		return lastSuccessAt;
	}

	Instant lastFailureAt() {
		return lastFailureAt;
	}

	Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", status);
		details.put("lastCheckedAt", lastCheckedAt);
		details.put("checkedBy", checkedBy);
		details.put("lastSuccessAt", lastSuccessAt);
		details.put("lastFailureAt", lastFailureAt);
		details.put("lastError", lastError);
		return details;
	}

}
