package com.leadflow.actions;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Outcomes of a completed action, and which action types accept them (API.md). */
public enum Outcome {

	NO_ANSWER, CONTACTED, CALLBACK, MEETING_SET, NOT_INTERESTED, WRONG_NUMBER, DISQUALIFIED, DO_NOT_CONTACT,
	SENT, OPPORTUNITY, NO_OPPORTUNITY;

	private static final Set<Outcome> CALL = EnumSet.of(NO_ANSWER, CONTACTED, CALLBACK, MEETING_SET, NOT_INTERESTED,
			WRONG_NUMBER, DISQUALIFIED, DO_NOT_CONTACT);

	/** The usual outcome first: the outcome form lists them in this order (and focuses the first). */
	private static final Set<Outcome> MAIL = Collections
		.unmodifiableSet(new LinkedHashSet<>(List.of(SENT, DISQUALIFIED, DO_NOT_CONTACT)));

	private static final Set<Outcome> MEETING = EnumSet.of(OPPORTUNITY, NO_OPPORTUNITY);

	/** Call outcomes that reached the person: the "contacts" of the contact rate. */
	private static final Set<Outcome> CONTACTS = EnumSet.of(CONTACTED, MEETING_SET, CALLBACK, NOT_INTERESTED);

	public static Set<Outcome> validFor(ActionType type) {
		return switch (type) {
			case CALL -> CALL;
			case EMAIL, CONTENT -> MAIL;
			case MEETING -> MEETING;
		};
	}

	public boolean isValidFor(ActionType type) {
		return validFor(type).contains(this);
	}

	public boolean isContact() {
		return CONTACTS.contains(this);
	}

	/** Ends the lead: it is closed and never contacted by this route again. */
	public boolean closesLead() {
		return this == DISQUALIFIED || this == DO_NOT_CONTACT;
	}

}
