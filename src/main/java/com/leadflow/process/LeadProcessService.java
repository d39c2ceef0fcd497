package com.leadflow.process;

import java.util.HashMap;
import java.util.Map;

import com.leadflow.leads.Lead;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.stereotype.Service;

/**
 * Every call Leadflow makes into the engine goes through here, so the rest of the code does not
 * depend on Camunda's API (and a move to a compatible engine stays small).
 */
@Service
public class LeadProcessService {

	private final RuntimeService runtime;

	private final TaskService tasks;

	LeadProcessService(RuntimeService runtime, TaskService tasks) {
		this.runtime = runtime;
		this.tasks = tasks;
	}

	/** Starts the lead's long-running process (business key = lead id); runs until its first next action. */
	public String start(Lead lead) {
		Map<String, Object> vars = new HashMap<>();
		vars.put(Vars.LEAD_ID, lead.id());
		vars.put(Vars.ROUTE, lead.route().name());
		vars.put(Vars.OWNER, lead.owner());
		vars.put(Vars.LOSS_REASON, lead.lossReason());
		vars.put(Vars.ATTEMPT, 0);
		vars.put(Vars.LAST_OUTCOME, null);
		return runtime.startProcessInstanceByKey(LeadProcess.KEY, lead.id(), vars).getId();
	}

	/** Completes the user task behind an action; the process plans the next one in this transaction. */
	public void completeTask(String taskId, Map<String, Object> vars) {
		tasks.complete(taskId, vars);
	}

	/** A rep did a scheduled content step by hand: the process continues as if its timer fired. */
	public void completeContentStep(String processInstanceId, Map<String, Object> vars) {
		runtime.createMessageCorrelation(LeadProcess.MESSAGE_CONTENT_ACTION_DONE)
			.processInstanceId(processInstanceId)
			.setVariables(vars)
			.correlateWithResult();
	}

	public boolean isRunning(String leadId) {
		return runtime.createProcessInstanceQuery()
			.processDefinitionKey(LeadProcess.KEY)
			.processInstanceBusinessKey(leadId)
			.active()
			.count() > 0;
	}

	/** Interrupts the lead's route and moves it into recycling with the given loss reason. */
	public void dealLost(String leadId, String lossReason) {
		runtime.createMessageCorrelation(LeadProcess.MESSAGE_DEAL_LOST)
			.processInstanceBusinessKey(leadId)
			.setVariable(Vars.LOSS_REASON, lossReason)
			.correlateWithResult();
	}

	/** Interrupts the lead's route and closes it as do-not-contact. */
	public void doNotContact(String leadId, String by, String note) {
		runtime.createMessageCorrelation(LeadProcess.MESSAGE_DO_NOT_CONTACT)
			.processInstanceBusinessKey(leadId)
			.setVariable(Vars.LAST_OUTCOME, "DO_NOT_CONTACT")
			.setVariable(Vars.CLOSED_BY, by)
			.setVariable(Vars.CLOSE_NOTE, note)
			.correlateWithResult();
	}

}
