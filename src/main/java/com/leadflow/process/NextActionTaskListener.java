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

	/**
	 * Reads the action id from the task's execution: the task itself holds no variables, and asking it
	 * would make the engine query the new task's variables ({@code ACT_RU_VARIABLE} by task id) on every
	 * intake and completion before it looks in the execution, which the command already holds.
	 */
	@Override
	public void notify(DelegateTask task) {
		actions.attachTask((String) task.getExecution().getVariable(Vars.ACTION_ID), task.getId());
	}

}
