package com.leadflow.leads;

import java.time.Instant;

/** A lead as stored in {@code lf_lead}. */
public record Lead(String id, String externalId, Route route, LeadStatus status, String company,
		String contactName, String email, String phone, String timeZone, String source, String owner,
		boolean doNotContact, String lossReason, String note, int hearingItems, Instant createdAt,
		Instant updatedAt, Instant lastTouchAt) {

	public java.time.ZoneId zone() {
		return java.time.ZoneId.of(timeZone);
	}

	/** A call can reach the person (intake requires an email or a phone, so at least one of these holds). */
	public boolean hasPhone() {
		return phone != null && !phone.isBlank();
	}

	/** An email (individual or content) can reach the person. */
	public boolean hasEmail() {
		return email != null && !email.isBlank();
	}

}
