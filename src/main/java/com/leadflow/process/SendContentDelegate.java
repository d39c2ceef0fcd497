package com.leadflow.process;

import com.leadflow.actions.NextActionService;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_SendContent: the content step fell due; it is sent and recorded as an automated (not individual) touch. */
@Component
class SendContentDelegate implements JavaDelegate {

	private final NextActionService actions;

	SendContentDelegate(NextActionService actions) {
		this.actions = actions;
	}

	@Override
	public void execute(DelegateExecution execution) {
		actions.contentSent((String) execution.getVariable(Vars.ACTION_ID));
		execution.setVariable(Vars.LAST_OUTCOME, "SENT");
	}

}
