package com.leadflow.mail;

/** What an outbox row is. Mail to a lead is re-checked against do-not-contact right before it is sent. */
public enum MailKind {

	/** A template email a rep sent when completing an EMAIL or CONTENT action. */
	LEAD_EMAIL(true),
	/** An automated content step that fell due. */
	LEAD_CONTENT(true),
	HANDOFF(false), DIGEST(false), ESCALATION(false), AUDIT_ALERT(false);

	private final boolean toLead;

	MailKind(boolean toLead) {
		this.toLead = toLead;
	}

	public boolean toLead() {
		return toLead;
	}

}
