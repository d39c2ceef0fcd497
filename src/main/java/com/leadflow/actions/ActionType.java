package com.leadflow.actions;

import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.Lead;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/** What a next action is. CONTENT is a template email sent automatically on its due date. */
public enum ActionType {

	CALL, EMAIL, CONTENT, MEETING;

	/**
	 * A 400 when a person chose this type for a lead it cannot reach: a CALL for a lead without a
	 * phone number, an EMAIL or CONTENT for a lead without an email address.
	 */
	public void checkReaches(String field, Lead lead) {
		if (this == CALL && !lead.hasPhone()) {
			throw new InvalidRequestException(field, "CALL is not possible: the lead has no phone number; choose EMAIL",
					"error.reach.phone", label());
		}
		if ((this == EMAIL || this == CONTENT) && !lead.hasEmail()) {
			throw new InvalidRequestException(field, this + " is not possible: the lead has no email address; choose CALL",
					"error.reach.email", label());
		}
	}

	/** The type's name on the pages ({@code type.*}), as an argument of a message. */
	public MessageSourceResolvable label() {
		return new DefaultMessageSourceResolvable(new String[] { "type." + name() }, name());
	}

}
