package com.leadflow.process;

import com.leadflow.leads.LeadLifecycle;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_MoveToRecycle: sales lost the deal; the lead re-enters on the recycle route. */
@Component
class MoveToRecycleDelegate implements JavaDelegate {

	private final LeadLifecycle lifecycle;

	MoveToRecycleDelegate(LeadLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void execute(DelegateExecution execution) {
		lifecycle.moveToRecycle(LeadProcess.leadId(execution), (String) execution.getVariable(Vars.LOSS_REASON));
		execution.setVariable(Vars.ROUTE, "RECYCLE");
		execution.setVariable(Vars.ATTEMPT, 0);
		execution.setVariable(Vars.LAST_OUTCOME, null);
	}

}
