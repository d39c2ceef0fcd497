package com.leadflow.process;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The decided next action as the decide step hands it to the schedule step: {@code actionType},
 * {@code actionDelay}, {@code actionContent}. They are read in the same transaction only (by
 * {@code ScheduleNextActionDelegate} and the gateways right after the decide and schedule steps),
 * so they are transient variables, never written to {@code ACT_RU_VARIABLE} or
 * {@code ACT_HI_VARINST}.
 *
 * <p>Not so the schedule step's {@code dueAt}, {@code escalateAt} and {@code assignee}, nor
 * {@code actionId}: a process-instance modification (Cockpit, {@code /engine-rest}) that starts the
 * content wait, the user task or its timers again evaluates {@code ${dueAt}}, {@code ${escalateAt}},
 * {@code ${assignee}} in a later transaction (the audit's tests move a route to the content wait
 * that way), and {@code actionId} is read after the content or overdue timer fires.
 */
final class PlanVariables {

	private PlanVariables() {
	}

	static void set(DelegateExecution execution, String name, String value) {
		if (stored(execution, name)) {
			execution.setVariable(name, value);
		}
		else {
			execution.setVariable(name, Variables.stringValue(value, true));
		}
	}

	/**
	 * Whether the instance holds the variable as a stored one: route instances started before the
	 * decision became transient do, until the route ends. The engine refuses a transient value over
	 * a stored variable of the same name, and also over one removed earlier in the same transaction
	 * ({@code AbstractVariableScope.setVariableLocal}, Camunda 7.24), so such an instance cannot
	 * switch: it keeps updating its stored values, as before. Routes started since (a new lead, a
	 * lead back to nurture or into recycling) never store them: the lead process does not hold them,
	 * so {@code variables="all"} does not copy them in.
	 */
	private static boolean stored(DelegateExecution execution, String name) {
		TypedValue existing = execution.getVariableTyped(name, false);
		return existing != null && !existing.isTransient();
	}

}
