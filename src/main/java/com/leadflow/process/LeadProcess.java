package com.leadflow.process;

/**
 * Keys, element ids and variable names of Leadflow's BPMN and DMN files (folder {@code bpmn/}).
 * Process variables hold ids and small decisions; the lead's data lives in Leadflow's tables.
 */
public final class LeadProcess {

	private LeadProcess() {
	}

	/** The lead a process step works on (the {@code leadId} variable, also the business key). */
	public static String leadId(org.camunda.bpm.engine.delegate.VariableScope execution) {
		return (String) execution.getVariable(Vars.LEAD_ID);
	}

	public static final String KEY = "lead";
	public static final String NURTURE = "nurture";
	public static final String UPSELL = "upsell";
	public static final String RECYCLE = "recycle";
	public static final String OUTBOUND = "outbound";
	public static final String SALES_HANDOFF = "sales-handoff";

	public static final String DECISION_NEXT_ACTION = "next-action";
	public static final String DECISION_RECYCLE_REVISIT = "recycle-revisit";

	public static final String MESSAGE_DEAL_LOST = "DealLost";
	public static final String MESSAGE_DO_NOT_CONTACT = "DoNotContact";
	public static final String MESSAGE_CONTENT_ACTION_DONE = "ContentActionDone";

	/** Element ids the code refers to. */
	public static final class Elements {
		private Elements() {
		}

		public static final String SUB_PROCESS_ROUTE = "SubProcess_Route";
		public static final String TASK_WORK_NEXT_ACTION = "UserTask_WorkNextAction";
		public static final String TASK_HOLD_MEETING = "UserTask_HoldMeeting";
		public static final String TIMER_CONTENT_DUE = "TimerEvent_ContentDue";
		public static final String MESSAGE_CONTENT_ACTION_DONE = "MessageEvent_ContentActionDone";
		public static final String BOUNDARY_ACTION_OVERDUE = "BoundaryEvent_ActionOverdue";
	}

	/** Process variable names. */
	public static final class Vars {
		private Vars() {
		}

		public static final String LEAD_ID = "leadId";
		public static final String ROUTE = "route";
		public static final String LOSS_REASON = "lossReason";
		public static final String LAST_OUTCOME = "lastOutcome";
		public static final String ATTEMPT = "attempt";
		public static final String ACTION_TYPE = "actionType";
		public static final String ACTION_DELAY = "actionDelay";
		public static final String ACTION_CONTENT = "actionContent";
		public static final String ACTION_ID = "actionId";
		public static final String DUE_AT = "dueAt";
		public static final String ESCALATE_AT = "escalateAt";
		public static final String ASSIGNEE = "assignee";
		public static final String OVERRIDE_TYPE = "overrideType";
		public static final String OVERRIDE_DUE_AT = "overrideDueAt";
		public static final String OVERRIDE_NOTE = "overrideNote";
		public static final String MEETING_AT = "meetingAt";
		public static final String ROUTE_RESULT = "routeResult";
		public static final String LEAD_RESULT = "leadResult";
		public static final String CLOSED_BY = "closedBy";
		public static final String CLOSE_NOTE = "closeNote";
	}
}
