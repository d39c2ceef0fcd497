package com.leadflow.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.jobexecutor.JobHandler;
import org.camunda.bpm.engine.impl.jobexecutor.JobHandlerConfiguration;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.stereotype.Component;

/**
 * The engine tells the audit which leads to compare again: in the engine's own transaction, every
 * change that can take a lead's next action away marks the lead (the business key of its process
 * instance; call activities pass it on) dirty through the {@link AuditLedger}. These are engine-level
 * hooks, so they fire whoever makes the change — Leadflow, Cockpit, Tasklist, {@code /engine-rest},
 * with or without {@code skipCustomListeners}:
 * <ul>
 * <li>history events (a handler next to the engine's own database handler; produced at every history
 * level from {@code activity} up, Leadflow runs {@code audit}): process instance ended or deleted or
 * migrated, task completed, deleted, migrated or updated (assignee);</li>
 * <li>jobs: every job handler is wrapped so that deleting a job (a timer deleted through
 * {@code ManagementService}, or cancelled or fired by the process) marks its lead;</li>
 * <li>incidents: every incident handler is wrapped (created, resolved, deleted).</li>
 * </ul>
 * The marks cost one row per lead and transaction; the re-check is the audit's ({@link AuditService#refresh}).
 */
@Component
public class AuditTrackingPlugin extends AbstractProcessEnginePlugin {

	/** Process instance events that mark (event names are only unique per kind of entity). */
	static final Set<String> PROCESS_EVENTS = Set.of(HistoryEventTypes.PROCESS_INSTANCE_END.getEventName(),
			HistoryEventTypes.PROCESS_INSTANCE_MIGRATE.getEventName());

	/** Task events that mark. */
	static final Set<String> TASK_EVENTS = Set.of(HistoryEventTypes.TASK_INSTANCE_COMPLETE.getEventName(),
			HistoryEventTypes.TASK_INSTANCE_DELETE.getEventName(), HistoryEventTypes.TASK_INSTANCE_UPDATE.getEventName(),
			HistoryEventTypes.TASK_INSTANCE_MIGRATE.getEventName());

	private final AuditLedger ledger;

	AuditTrackingPlugin(AuditLedger ledger) {
		this.ledger = ledger;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<HistoryEventHandler> handlers = configuration.getCustomHistoryEventHandlers() == null ? new ArrayList<>()
				: new ArrayList<>(configuration.getCustomHistoryEventHandlers());
		handlers.add(new MarkingHistoryHandler());
		configuration.setCustomHistoryEventHandlers(handlers);
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public void postInit(ProcessEngineConfigurationImpl configuration) {
		Map<String, JobHandler> jobHandlers = configuration.getJobHandlers();
		jobHandlers.replaceAll((type, handler) -> handler instanceof MarkingJobHandler ? handler : new MarkingJobHandler(handler));
		Map<String, IncidentHandler> incidentHandlers = configuration.getIncidentHandlers();
		incidentHandlers.replaceAll(
				(type, handler) -> handler instanceof MarkingIncidentHandler ? handler : new MarkingIncidentHandler(handler));
	}

	/** The lead (business key) of a process instance the current command works on; null when unknown. */
	static String leadOfProcessInstance(String processInstanceId) {
		CommandContext context = Context.getCommandContext();
		if (context == null || processInstanceId == null) {
			return null;
		}
		ExecutionEntity instance = context.getDbEntityManager().getCachedEntity(ExecutionEntity.class, processInstanceId);
		if (instance == null) {
			instance = context.getExecutionManager().findExecutionById(processInstanceId);
		}
		return instance == null ? null : instance.getBusinessKey();
	}

	static String leadOfExecution(String executionId) {
		CommandContext context = Context.getCommandContext();
		if (context == null || executionId == null) {
			return null;
		}
		ExecutionEntity execution = context.getDbEntityManager().getCachedEntity(ExecutionEntity.class, executionId);
		if (execution == null) {
			execution = context.getExecutionManager().findExecutionById(executionId);
		}
		return execution == null ? null : leadOfProcessInstance(execution.getProcessInstanceId());
	}

	/** Next to the engine's database handler: marks the lead of each event that can take its next action away. */
	final class MarkingHistoryHandler implements HistoryEventHandler {

		@Override
		public void handleEvent(HistoryEvent event) {
			String lead;
			if (event instanceof HistoricProcessInstanceEventEntity instance) {
				if (!PROCESS_EVENTS.contains(event.getEventType())) {
					return;
				}
				lead = instance.getBusinessKey() != null ? instance.getBusinessKey()
						: leadOfProcessInstance(event.getProcessInstanceId());
			}
			else if (event instanceof HistoricTaskInstanceEventEntity && TASK_EVENTS.contains(event.getEventType())) {
				lead = leadOfProcessInstance(event.getProcessInstanceId());
			}
			else {
				return;
			}
			if (lead == null && event.getRootProcessInstanceId() != null) {
				lead = leadOfProcessInstance(event.getRootProcessInstanceId());
			}
			ledger.markDirty(lead);
		}

		@Override
		public void handleEvents(List<HistoryEvent> events) {
			events.forEach(this::handleEvent);
		}

	}

	/** A job handler that marks the job's lead when the job is deleted, and otherwise does what it wraps. */
	final class MarkingJobHandler<T extends JobHandlerConfiguration> implements JobHandler<T> {

		private final JobHandler<T> delegate;

		MarkingJobHandler(JobHandler<T> delegate) {
			this.delegate = delegate;
		}

		@Override
		public String getType() {
			return delegate.getType();
		}

		@Override
		public void execute(T configuration, ExecutionEntity execution, CommandContext commandContext, String tenantId) {
			delegate.execute(configuration, execution, commandContext, tenantId);
		}

		@Override
		public T newConfiguration(String canonicalString) {
			return delegate.newConfiguration(canonicalString);
		}

		@Override
		public void onDelete(T configuration, JobEntity jobEntity) {
			delegate.onDelete(configuration, jobEntity);
			ledger.markDirty(leadOfProcessInstance(jobEntity.getProcessInstanceId()));
		}

	}

	/** An incident handler that marks the lead of every incident it creates, resolves or deletes. */
	final class MarkingIncidentHandler implements IncidentHandler {

		private final IncidentHandler delegate;

		MarkingIncidentHandler(IncidentHandler delegate) {
			this.delegate = delegate;
		}

		@Override
		public String getIncidentHandlerType() {
			return delegate.getIncidentHandlerType();
		}

		@Override
		public Incident handleIncident(IncidentContext context, String message) {
			Incident incident = delegate.handleIncident(context, message);
			ledger.markDirty(leadOfExecution(context.getExecutionId()));
			return incident;
		}

		@Override
		public void resolveIncident(IncidentContext context) {
			delegate.resolveIncident(context);
			ledger.markDirty(leadOfExecution(context.getExecutionId()));
		}

		@Override
		public void deleteIncident(IncidentContext context) {
			delegate.deleteIncident(context);
			ledger.markDirty(leadOfExecution(context.getExecutionId()));
		}

	}

}
