package com.leadflow.process;

import com.leadflow.leads.LeadLifecycle;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_ParkIntoRecycle: an outbound lead that did not bite is parked in recycling. */
@Component
class ParkIntoRecycleDelegate implements JavaDelegate {

	private final LeadLifecycle lifecycle;

	ParkIntoRecycleDelegate(LeadLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void execute(DelegateExecution execution) {
		lifecycle.parkIntoRecycle(LeadProcess.leadId(execution));
		execution.setVariable(Vars.ROUTE, "RECYCLE");
		execution.setVariable(Vars.LOSS_REASON, "PARKED");
		execution.setVariable(Vars.ATTEMPT, 0);
	}

}
