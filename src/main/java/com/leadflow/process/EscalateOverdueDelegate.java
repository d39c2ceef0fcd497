package com.leadflow.process;

import com.leadflow.actions.NextActionService;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_EscalateOverdue: the action is overdue beyond the escalation span; managers are told. */
@Component
class EscalateOverdueDelegate implements JavaDelegate {

	private final NextActionService actions;

	EscalateOverdueDelegate(NextActionService actions) {
		this.actions = actions;
	}

	@Override
	public void execute(DelegateExecution execution) {
		actions.escalateOverdue((String) execution.getVariable(Vars.ACTION_ID));
	}

}
