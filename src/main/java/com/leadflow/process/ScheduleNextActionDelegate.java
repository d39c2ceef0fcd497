package com.leadflow.process;

import java.time.Instant;
import java.util.Date;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionService;
import com.leadflow.common.Clock;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.process.LeadProcess.Vars;
import com.leadflow.scheduling.ActionPlanner;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_ScheduleNextAction: gives the decided action its due time (business calendar, capacity)
 * and owner, and opens it in the projection in the same transaction. A time the rep chose wins.
 */
@Component
class ScheduleNextActionDelegate implements JavaDelegate {

	private final LeadRepository leads;

	private final ActionPlanner planner;

	private final NextActionService actions;

	ScheduleNextActionDelegate(LeadRepository leads, ActionPlanner planner, NextActionService actions) {
		this.leads = leads;
		this.planner = planner;
		this.actions = actions;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Lead lead = leads.findById((String) execution.getVariable(Vars.LEAD_ID)).orElseThrow();
		ActionType type = ActionType.valueOf((String) execution.getVariable(Vars.ACTION_TYPE));
		Date chosen = (Date) execution.getVariable(Vars.OVERRIDE_DUE_AT);
		Instant now = Clock.now();
		Instant due = chosen != null ? chosen.toInstant()
				: planner.plan(now, (String) execution.getVariable(Vars.ACTION_DELAY), lead.zone(), lead.owner(),
						type == ActionType.CALL);
		String note = chosen != null ? (String) execution.getVariable(Vars.OVERRIDE_NOTE) : null;
		NextAction action = actions.open(lead.id(), type, due, lead.owner(), null,
				(String) execution.getVariable(Vars.ACTION_CONTENT), note, chosen == null, execution.getProcessInstanceId());
		execution.setVariable(Vars.ACTION_ID, action.id());
		execution.setVariable(Vars.DUE_AT, Date.from(due));
		execution.setVariable(Vars.ESCALATE_AT, Date.from(planner.escalationTime(due, lead.zone())));
		execution.setVariable(Vars.ASSIGNEE, lead.owner());
		execution.removeVariable(Vars.OVERRIDE_TYPE);
		execution.removeVariable(Vars.OVERRIDE_DUE_AT);
		execution.removeVariable(Vars.OVERRIDE_NOTE);
	}

}
