package com.leadflow.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.leadflow.common.ProcessGoneException;
import com.leadflow.common.ProcessSuspendedException;
import com.leadflow.leads.Lead;
import com.leadflow.process.LeadProcess.Vars;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.SuspendedEntityInteractionException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;

/**
 * Every call Leadflow makes into the engine goes through here, so the rest of the code does not
 * depend on Camunda's API (and a move to a compatible engine stays small).
 */
@Service
public class LeadProcessService {

	private final RuntimeService runtime;

	private final TaskService tasks;

	private final ManagementService management;

	LeadProcessService(RuntimeService runtime, TaskService tasks, ManagementService management) {
		this.runtime = runtime;
		this.tasks = tasks;
		this.management = management;
	}

	/** Starts the lead's long-running process (business key = lead id); runs until its first next action. */
	public String start(Lead lead) {
		return runtime.startProcessInstanceByKey(LeadProcess.KEY, lead.id(), startVariables(lead)).getId();
	}

	/**
	 * What the lead process starts with. The owner is not among them: it lives in {@code lf_lead} (a
	 * reassignment changes it there), and no step reads it from the process. A variable without a
	 * value is left out rather than stored as a null row (copied again into the route): the loss
	 * reason (a recycling lead's only) and the last outcome (none yet) are read with
	 * {@code getVariable}, null when absent, and the gateways that compare {@code lastOutcome}
	 * come after the step that sets it (a completion, the content step, the hand-off's out mapping).
	 */
	private static Map<String, Object> startVariables(Lead lead) {
		Map<String, Object> vars = new HashMap<>();
		vars.put(Vars.LEAD_ID, lead.id());
		vars.put(Vars.ROUTE, lead.route().name());
		if (lead.lossReason() != null) {
			vars.put(Vars.LOSS_REASON, lead.lossReason());
		}
		vars.put(Vars.ATTEMPT, 0);
		return vars;
	}

	/** Completes the user task behind an action; the process plans the next one in this transaction. */
	public void completeTask(String taskId, Map<String, Object> vars) {
		try {
			tasks.complete(taskId, vars);
		}
		catch (NullValueException ex) {
			if (taskId == null || tasks.createTaskQuery().taskId(taskId).count() == 0) {
				throw processGone(ex);
			}
			throw ex;
		}
		catch (SuspendedEntityInteractionException ex) {
			throw processSuspended(ex);
		}
	}

	/** A rep did a scheduled content step by hand: the process continues as if its timer fired. */
	public void completeContentStep(String processInstanceId, Map<String, Object> vars) {
		try {
			runtime.createMessageCorrelation(LeadProcess.MESSAGE_CONTENT_ACTION_DONE)
				.processInstanceId(processInstanceId)
				.setVariables(vars)
				.correlateWithResult();
		}
		catch (MismatchingMessageCorrelationException ex) {
			throw processGone(ex);
		}
		catch (SuspendedEntityInteractionException ex) {
			throw processSuspended(ex);
		}
	}

	/**
	 * The action is open in Leadflow but the engine no longer waits for it: its process was deleted
	 * or moved outside Leadflow (Cockpit, the engine's REST API). The audit lists such a lead, and a
	 * manager gives it a next action there; completing the stale action cannot do anything.
	 */
	private static ProcessSuspendedException processSuspended(RuntimeException cause) {
		return new ProcessSuspendedException("The lead's process is suspended in the engine: a Camunda administrator "
				+ "has to activate it (Cockpit) before this action can be completed.", cause);
	}

	private static ProcessGoneException processGone(RuntimeException cause) {
		return new ProcessGoneException("The engine no longer waits for this action: its process was changed outside "
				+ "Leadflow. A manager can give the lead a new next action from the audit.", cause);
	}

	/** Starts the lead process again on its route, with the next action a manager chose (audit repair). */
	public String restart(Lead lead, String actionType, java.time.Instant dueAt) {
		Map<String, Object> vars = startVariables(lead);
		vars.put(Vars.OVERRIDE_TYPE, actionType);
		vars.put(Vars.OVERRIDE_DUE_AT, java.util.Date.from(dueAt));
		String id = runtime.startProcessInstanceByKey(LeadProcess.KEY, lead.id(), vars).getId();
		// The route consumed the choice; left on the lead process, it would be passed to every later
		// route (back to nurture, into recycling) and plan a stale action there.
		runtime.removeVariables(id, List.of(Vars.OVERRIDE_TYPE, Vars.OVERRIDE_DUE_AT));
		return id;
	}

	/** Removes what is left of a lead's processes (the lead process and the route/hand-off it called). */
	public void deleteLeadProcesses(String leadId, String reason) {
		List<String> ids = runtime.createProcessInstanceQuery()
			.processDefinitionKey(LeadProcess.KEY)
			.processInstanceBusinessKey(leadId)
			.list()
			.stream()
			.map(org.camunda.bpm.engine.runtime.ProcessInstance::getId)
			.toList();
		if (!ids.isEmpty()) {
			runtime.deleteProcessInstances(ids, reason, true, true);
		}
		// Route instances whose parent was removed behind Leadflow's back may still linger.
		List<String> orphans = runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(leadId)
			.list()
			.stream()
			.map(org.camunda.bpm.engine.runtime.ProcessInstance::getId)
			.toList();
		if (!orphans.isEmpty()) {
			runtime.deleteProcessInstances(orphans, reason, true, true);
		}
	}

	/**
	 * Gives the failed job behind an incident one more retry; empty when there is no such incident.
	 * An incident of a calling instance (the lead process above a failed route) stands for its root
	 * cause, which holds the job.
	 */
	public java.util.Optional<String> retryIncident(String incidentId) {
		org.camunda.bpm.engine.runtime.Incident incident = runtime.createIncidentQuery().incidentId(incidentId).singleResult();
		if (incident != null && !incident.getId().equals(incident.getRootCauseIncidentId())) {
			incident = runtime.createIncidentQuery().incidentId(incident.getRootCauseIncidentId()).singleResult();
		}
		if (incident == null || !org.camunda.bpm.engine.runtime.Incident.FAILED_JOB_HANDLER_TYPE.equals(incident.getIncidentType())
				|| incident.getConfiguration() == null) {
			return java.util.Optional.empty();
		}
		management.setJobRetries(incident.getConfiguration(), 1);
		return java.util.Optional.of(incident.getConfiguration());
	}

	/**
	 * Hands the task to another user; false, changing nothing, when the task is gone or suspended (its
	 * process was deleted or suspended outside Leadflow: the audit shows the lead), so one such lead
	 * does not stop a reassignment of all the others.
	 */
	public boolean setTaskAssignee(String taskId, String assignee) {
		org.camunda.bpm.engine.task.Task task = tasks.createTaskQuery().taskId(taskId).singleResult();
		if (task == null || task.isSuspended()) {
			return false;
		}
		tasks.setAssignee(taskId, assignee);
		return true;
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

	/** Where a lead stands in its processes: the deepest active instance's definition and its active activities. */
	public record ProcessPosition(String processInstanceId, String processDefinitionId, List<String> activeActivityIds) {
	}

	/**
	 * The lead's innermost running process instance (a route or the hand-off, called from {@code lead}),
	 * which is what a person working the lead cares about; empty when no process runs (terminal lead).
	 */
	public java.util.Optional<ProcessPosition> position(String leadId) {
		// Call activities pass the business key on, so every level of the lead's process tree carries it.
		List<ProcessInstance> instances = runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(leadId)
			.active()
			.list();
		return instances.stream()
			.filter(pi -> runtime.createProcessInstanceQuery().superProcessInstanceId(pi.getId()).active().count() == 0)
			.findFirst()
			.map(pi -> new ProcessPosition(pi.getId(), pi.getProcessDefinitionId(), runtime.getActiveActivityIds(pi.getId())));
	}

}
