package com.leadflow.leads;

/** Where a lead stands. OPPORTUNITY and CLOSED are terminal: no next action. */
public enum LeadStatus {

	ACTIVE, HANDED_OFF, OPPORTUNITY, CLOSED;

	public boolean isTerminal() {
		return this == OPPORTUNITY || this == CLOSED;
	}

}
