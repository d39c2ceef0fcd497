package com.leadflow.leads;

/** What happened to a lead; the history and the KPI counters read these. */
public enum LeadEventType {

	/** Marketing handed the lead in. */
	CREATED,
	/** Marketing saw the same person again (a deduplicated submission). */
	ENGAGEMENT,
	/** A person completed a next action with an outcome. */
	ACTION_COMPLETED,
	/** An automated content email went out on its due date. */
	CONTENT_SENT,
	/** The meeting was handed to sales. */
	HANDED_OFF,
	/** Sales recorded the meeting's outcome. */
	MEETING_HELD,
	/** The lead moved to another route. */
	ROUTE_CHANGED,
	/** Sales reported the deal lost. */
	DEAL_LOST,
	/** The lead became an opportunity: sales owns it now. */
	OPPORTUNITY,
	/** The lead was closed (disqualified or do not contact). */
	CLOSED,
	/** An action went overdue beyond the escalation span; managers were told. */
	ESCALATED,
	/** Owner or assignee changed. */
	REASSIGNED

}
