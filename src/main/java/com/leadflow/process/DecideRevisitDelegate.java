package com.leadflow.process;

import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Task_DecideRevisit: the recycle-revisit table turns the loss reason into the re-approach delay;
 * the re-approach is a call, or an email for a lead without a phone number.
 */
@Component
class DecideRevisitDelegate implements JavaDelegate {

	private final DecisionService decisions;

	private final LeadRepository leads;

	DecideRevisitDelegate(DecisionService decisions, LeadRepository leads) {
		this.decisions = decisions;
		this.leads = leads;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String override = (String) execution.getVariable(Vars.OVERRIDE_TYPE);
		if (override != null) {
			// A manager's repair chose the action; the revisit rule does not apply.
			execution.setVariable(Vars.ATTEMPT, 0);
			PlanVariables.set(execution, Vars.ACTION_TYPE, override);
			PlanVariables.set(execution, Vars.ACTION_DELAY, "PT0S");
			PlanVariables.set(execution, Vars.ACTION_CONTENT, (String) null);
			return;
		}
		String reason = (String) execution.getVariable(Vars.LOSS_REASON);
		DmnDecisionResultEntries result = decisions.evaluateDecisionByKey(LeadProcess.DECISION_RECYCLE_REVISIT)
			.variables(Variables.createVariables().putValue("lossReason", reason == null ? "OTHER" : reason))
			.evaluate()
			.getSingleResult();
		if (result == null) {
			throw new IllegalStateException("recycle-revisit decision has no rule for " + reason);
		}
		execution.setVariable(Vars.ATTEMPT, 0);
		Lead lead = leads.findById((String) execution.getVariable(Vars.LEAD_ID)).orElseThrow();
		PlanVariables.set(execution, Vars.ACTION_TYPE, Cadence.reachableType("CALL", lead.hasPhone(), lead.hasEmail()));
		PlanVariables.set(execution, Vars.ACTION_DELAY, (String) result.getEntry("delay"));
		PlanVariables.set(execution, Vars.ACTION_CONTENT, (String) null);
	}

}
