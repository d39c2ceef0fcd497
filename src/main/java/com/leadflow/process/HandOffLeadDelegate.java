package com.leadflow.process;

import com.leadflow.leads.LeadLifecycle;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_HandOffLead: the meeting is set; the lead is handed to sales. */
@Component
class HandOffLeadDelegate implements JavaDelegate {

	private final LeadLifecycle lifecycle;

	HandOffLeadDelegate(LeadLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void execute(DelegateExecution execution) {
		lifecycle.handOff(LeadProcess.leadId(execution), ((java.util.Date) execution.getVariable(Vars.MEETING_AT)).toInstant());
	}

}
