package com.leadflow.process;

import com.leadflow.leads.LeadLifecycle;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_CloseLead: disqualified or do-not-contact; the lead is closed. */
@Component
class CloseLeadDelegate implements JavaDelegate {

	private final LeadLifecycle lifecycle;

	CloseLeadDelegate(LeadLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String outcome = (String) execution.getVariable(Vars.LAST_OUTCOME);
		lifecycle.close(LeadProcess.leadId(execution), "DO_NOT_CONTACT".equals(outcome), outcome,
				(String) execution.getVariable(Vars.CLOSED_BY), (String) execution.getVariable(Vars.CLOSE_NOTE));
	}

}
