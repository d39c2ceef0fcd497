package com.leadflow.process;

import java.util.HashMap;
import java.util.Map;

import com.leadflow.common.Clock;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_DecideNextAction: asks the next-action decision table what comes next for the lead's
 * route and history, unless the rep chose the next action (an override) when completing. The
 * table's action goes out on a channel the lead has ({@link Cadence#reachableType}).
 */
@Component
class DecideNextActionDelegate implements JavaDelegate {

	private final DecisionResults decisions;

	private final LeadRepository leads;

	DecideNextActionDelegate(DecisionResults decisions, LeadRepository leads) {
		this.decisions = decisions;
		this.leads = leads;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String lastOutcome = (String) execution.getVariable(Vars.LAST_OUTCOME);
		Integer previous = (Integer) execution.getVariable(Vars.ATTEMPT);
		int attempt = Cadence.attemptAfter(previous == null ? 0 : previous, lastOutcome);
		execution.setVariable(Vars.ATTEMPT, attempt);

		String override = (String) execution.getVariable(Vars.OVERRIDE_TYPE);
		if (override != null) {
			PlanVariables.set(execution, Vars.ACTION_TYPE, override);
			PlanVariables.set(execution, Vars.ACTION_DELAY, "PT0S");
			PlanVariables.set(execution, Vars.ACTION_CONTENT, (String) null);
			return;
		}
		Lead lead = leads.findById((String) execution.getVariable(Vars.LEAD_ID)).orElseThrow();
		Map<String, Object> inputs = new HashMap<>();
		inputs.put("route", lead.route().name());
		inputs.put("lastOutcome", lastOutcome);
		inputs.put("attempt", attempt);
		inputs.put("daysSinceLastTouch", Cadence.daysSince(lead.lastTouchAt(), Clock.now()));
		inputs.put("hearingItems", lead.hearingItems());
		Map<String, Object> result = decisions.evaluate(LeadProcess.DECISION_NEXT_ACTION, inputs);
		if (result == null) {
			throw new IllegalStateException("next-action decision has no rule for " + inputs);
		}
		String decided = (String) result.get("actionType");
		String type = Cadence.reachableType(decided, lead.hasPhone(), lead.hasEmail());
		PlanVariables.set(execution, Vars.ACTION_TYPE, type);
		PlanVariables.set(execution, Vars.ACTION_DELAY, (String) result.get("delay"));
		Object content = result.get("content");
		// A call turned into an email has no content of the table's; the rep writes it (or picks a template).
		PlanVariables.set(execution, Vars.ACTION_CONTENT, !type.equals(decided) || content == null
				|| content.toString().isBlank() ? null : content.toString());
	}

}
