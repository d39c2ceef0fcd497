package com.leadflow.process;

import com.leadflow.leads.LeadLifecycle;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_ReturnToNurture: the meeting yielded no opportunity; the lead goes back to nurturing. */
@Component
class ReturnToNurtureDelegate implements JavaDelegate {

	private final LeadLifecycle lifecycle;

	ReturnToNurtureDelegate(LeadLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void execute(DelegateExecution execution) {
		lifecycle.returnToNurture(LeadProcess.leadId(execution));
		execution.setVariable(Vars.ROUTE, "NURTURE");
		execution.setVariable(Vars.ATTEMPT, 0);
	}

}
