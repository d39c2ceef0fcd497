package com.leadflow.mail;

/** Life of an outbox row: PENDING → SENDING (claimed by one node) → SENT; or back to PENDING, then FAILED. */
public enum OutboxState {

	PENDING, SENDING, SENT, FAILED,
	/** Dropped before sending: the lead unsubscribed (or was closed) after the mail was decided. */
	CANCELLED

}
