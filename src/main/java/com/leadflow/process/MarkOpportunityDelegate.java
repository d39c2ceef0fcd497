package com.leadflow.process;

import com.leadflow.leads.LeadLifecycle;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_MarkOpportunity: sales found an opportunity; inside sales is done with the lead. */
@Component
class MarkOpportunityDelegate implements JavaDelegate {

	private final LeadLifecycle lifecycle;

	MarkOpportunityDelegate(LeadLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void execute(DelegateExecution execution) {
		lifecycle.markOpportunity(LeadProcess.leadId(execution));
	}

}
