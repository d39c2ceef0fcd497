package com.leadflow.process;

import java.util.Date;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionService;
import com.leadflow.process.LeadProcess.Vars;
import com.leadflow.security.Groups;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_ScheduleMeeting: the lead's next action is the meeting, for the sales group, at the agreed time. */
@Component
class ScheduleMeetingDelegate implements JavaDelegate {

	private final NextActionService actions;

	ScheduleMeetingDelegate(NextActionService actions) {
		this.actions = actions;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Date meetingAt = (Date) execution.getVariable(Vars.MEETING_AT);
		NextAction action = actions.open((String) execution.getVariable(Vars.LEAD_ID), ActionType.MEETING,
				meetingAt.toInstant(), null, Groups.SALES, null, false, execution.getProcessInstanceId());
		execution.setVariable(Vars.ACTION_ID, action.id());
		execution.setVariable(Vars.DUE_AT, meetingAt);
	}

}
