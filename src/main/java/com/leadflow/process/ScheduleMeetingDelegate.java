package com.leadflow.process;

import java.util.Date;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionService;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.process.LeadProcess.Vars;
import com.leadflow.scheduling.ActionPlanner;
import com.leadflow.security.Groups;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_ScheduleMeeting: the lead's next action is the meeting, for the sales group, at the agreed
 * time; like any action, an outcome still missing the escalation span after it is escalated.
 */
@Component
class ScheduleMeetingDelegate implements JavaDelegate {

	private final LeadRepository leads;

	private final ActionPlanner planner;

	private final NextActionService actions;

	ScheduleMeetingDelegate(LeadRepository leads, ActionPlanner planner, NextActionService actions) {
		this.leads = leads;
		this.planner = planner;
		this.actions = actions;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Lead lead = leads.findById((String) execution.getVariable(Vars.LEAD_ID)).orElseThrow();
		Date meetingAt = (Date) execution.getVariable(Vars.MEETING_AT);
		NextAction action = actions.open(lead.id(), ActionType.MEETING, meetingAt.toInstant(), null, Groups.SALES, null,
				null, false, execution.getProcessInstanceId());
		execution.setVariable(Vars.ACTION_ID, action.id());
		execution.setVariable(Vars.DUE_AT, meetingAt);
		execution.setVariable(Vars.ESCALATE_AT, Date.from(planner.escalationTime(meetingAt.toInstant(), lead.zone())));
	}

}
