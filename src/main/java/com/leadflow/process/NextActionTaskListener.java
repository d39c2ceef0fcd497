package com.leadflow.process;

import com.leadflow.actions.NextActionService;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** On every next-action user task's creation: links the projection row to the engine's task. */
@Component
class NextActionTaskListener implements TaskListener {

	private final NextActionService actions;

	NextActionTaskListener(NextActionService actions) {
		this.actions = actions;
	}

	@Override
	public void notify(DelegateTask task) {
		actions.attachTask((String) task.getVariable(Vars.ACTION_ID), task.getId());
	}

}
