package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.process.LeadProcess.Vars;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;

/**
 * What a lead's process instances store. Every stored variable is a row in {@code ACT_RU_VARIABLE}
 * and one in {@code ACT_HI_VARINST}, written in the intake's (or completion's) transaction, so a
 * variable nothing reads later is throughput thrown away (README, "Performance tuning"): the
 * owner is not stored (it lives in {@code lf_lead}), a variable without a value is left out, and
 * the decided next action is handed from the decide to the schedule step in transient variables
 * ({@link PlanVariables}). Instances started before that still hold the decision as stored
 * variables and must go on planning.
 */
@LeadflowTest
class ProcessVariablesTest extends ProcessTestSupport {

	/** The decided next action, handed from the decide step to the schedule step: transient, never stored. */
	static final List<String> PLAN = List.of(Vars.ACTION_TYPE, Vars.ACTION_DELAY, Vars.ACTION_CONTENT);

	/** What the route keeps of its open action: read in later transactions (timers, process-instance modification). */
	static final List<String> SCHEDULE = List.of(Vars.ACTION_ID, Vars.DUE_AT, Vars.ESCALATE_AT, Vars.ASSIGNEE);

	@Test
	void afterIntakeTheProcessesHoldOnlyWhatLaterStepsRead() {
		for (Route route : Route.values()) {
			Lead lead = submit(route, route == Route.RECYCLE ? LossReason.MISMATCH : null);
			String routeKey = route.name().toLowerCase();
			Map<String, Set<String>> stored = runtimeVariables(lead);

			Set<String> lead_ = route == Route.RECYCLE ? Set.of("leadId", "route", "attempt", "lossReason")
					: Set.of("leadId", "route", "attempt");
			assertThat(stored).as("%s lead", route).containsOnlyKeys(LeadProcess.KEY, routeKey);
			assertThat(stored.get(LeadProcess.KEY)).as("lead process of a %s lead", route).containsExactlyInAnyOrderElementsOf(lead_);
			Set<String> route_ = new TreeSet<>(lead_);
			route_.addAll(SCHEDULE);
			assertThat(stored.get(routeKey)).as("%s route", route).containsExactlyInAnyOrderElementsOf(route_);
			assertThat(runtimeVariableRows(lead)).isEqualTo(lead_.size() + route_.size());
			assertThat(historyVariableRows(lead)).as("history rows of a %s intake", route).isEqualTo(lead_.size() + route_.size());
		}
	}

	@Test
	void laterRoundsDoNotStoreThePlanEither() {
		Lead lead = submit(Route.NURTURE);
		complete(lead, Outcome.NO_ANSWER);
		complete(lead, new CompletionRequest(Outcome.CONTACTED, Map.of("budget", "未定"), null, null, null));
		assertThat(openAction(lead).type()).isEqualTo(ActionType.CONTENT);
		fire(contentTimer(lead));
		assertThat(openAction(lead).type()).isEqualTo(ActionType.CALL);

		assertThat(runtimeVariables(lead).get(LeadProcess.NURTURE))
			.containsExactlyInAnyOrder("leadId", "route", "attempt", "lastOutcome", "actionId", "dueAt", "escalateAt", "assignee");
		assertThat(historyVariableNames(lead)).doesNotContainAnyElementsOf(PLAN).doesNotContain("owner");
	}

	@Test
	void anInstanceThatStoredThePlanPlansItsNextActionOnCompletion() {
		Lead lead = submit(Route.NURTURE);
		NextAction call = openAction(lead);
		storeThePlanAsTheOldCodeDid(lead, call);

		clockAt(WEDNESDAY_10_00.plus(1, ChronoUnit.HOURS));
		complete(lead, Outcome.NO_ANSWER);

		NextAction retry = openAction(lead);
		assertThat(retry.id()).isNotEqualTo(call.id());
		assertThat(retry.type()).isEqualTo(ActionType.CALL);
		assertThat(retry.dueAt()).isAfter(call.dueAt());
		BpmnAwareTests.assertThat(running(lead, LeadProcess.NURTURE)).isWaitingAt("UserTask_WorkNextAction");
		assertThat(taskService.createTaskQuery().taskId(retry.taskId()).singleResult().getAssignee()).isEqualTo(rep.id());
		assertThat(overdueTimer(lead).getDuedate().toInstant()).isAfter(retry.dueAt());
		// The engine cannot turn a stored variable transient in one transaction: the instance keeps its stored decision, up to date.
		assertThat(runtimeService.getVariable(running(lead, LeadProcess.NURTURE).getId(), Vars.ACTION_TYPE)).isEqualTo("CALL");
	}

	@Test
	void anInstanceThatStoredThePlanPlansItsNextActionWhenItsContentStepFires() {
		Lead lead = submit(Route.NURTURE);
		complete(lead, new CompletionRequest(Outcome.CONTACTED, Map.of("budget", "未定"), null, null, null));
		NextAction content = openAction(lead);
		assertThat(content.type()).isEqualTo(ActionType.CONTENT);
		storeThePlanAsTheOldCodeDid(lead, content);

		fire(contentTimer(lead));

		assertThat(actionRows.findById(content.id()).orElseThrow().outcome()).isEqualTo("SENT");
		NextAction next = openAction(lead);
		assertThat(next.type()).isEqualTo(ActionType.CALL);
		assertThat(next.content()).isNull();
		assertThat(taskService.createTaskQuery().taskId(next.taskId()).singleResult().getDueDate().toInstant())
			.isEqualTo(next.dueAt());
		assertThat(runtimeService.getVariable(running(lead, LeadProcess.NURTURE).getId(), Vars.ACTION_CONTENT)).isNull();
	}

	/**
	 * What the code before transient decisions left in a waiting instance: the owner, null loss
	 * reason and last outcome on both processes, and the decision of the open action (with a content
	 * name, so a stale one would show) stored on the route.
	 */
	private void storeThePlanAsTheOldCodeDid(Lead lead, NextAction open) {
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		ProcessInstance route = running(lead, LeadProcess.NURTURE);
		Map<String, Object> old = new HashMap<>();
		old.put("owner", rep.id());
		old.put(Vars.LOSS_REASON, null);
		if (runtimeService.getVariable(route.getId(), Vars.LAST_OUTCOME) == null) {
			old.put(Vars.LAST_OUTCOME, null);
		}
		runtimeService.setVariables(leadProcess.getId(), old);
		old.put(Vars.ACTION_TYPE, open.type().name());
		old.put(Vars.ACTION_DELAY, "P1D");
		old.put(Vars.ACTION_CONTENT, "stale-content");
		old.put(Vars.DUE_AT, Date.from(open.dueAt()));
		old.put(Vars.ESCALATE_AT, Date.from(open.dueAt().plus(1, ChronoUnit.DAYS)));
		old.put(Vars.ASSIGNEE, rep.id());
		runtimeService.setVariables(route.getId(), old);
		assertThat(runtimeVariables(lead).get(LeadProcess.NURTURE)).containsAll(PLAN);
	}

	/** Variable names per process definition key, of the lead's running instances. */
	Map<String, Set<String>> runtimeVariables(Lead lead) {
		Map<String, Set<String>> names = new TreeMap<>();
		jdbc.sql("""
				SELECT d.KEY_ AS process, v.NAME_ AS name FROM ACT_RU_VARIABLE v
				JOIN ACT_RU_EXECUTION e ON e.ID_ = v.PROC_INST_ID_
				JOIN ACT_RE_PROCDEF d ON d.ID_ = e.PROC_DEF_ID_
				WHERE e.BUSINESS_KEY_ = ?""")
			.param(lead.id())
			.query((rs, row) -> names.computeIfAbsent(rs.getString("process"), k -> new TreeSet<>()).add(rs.getString("name")))
			.list();
		return names;
	}

	List<String> historyVariableNames(Lead lead) {
		return jdbc.sql("""
				SELECT v.NAME_ FROM ACT_HI_VARINST v JOIN ACT_HI_PROCINST p ON p.ID_ = v.PROC_INST_ID_
				WHERE p.BUSINESS_KEY_ = ?""").param(lead.id()).query(String.class).list();
	}

	long runtimeVariableRows(Lead lead) {
		return jdbc.sql("""
				SELECT COUNT(*) FROM ACT_RU_VARIABLE v JOIN ACT_RU_EXECUTION e ON e.ID_ = v.PROC_INST_ID_
				WHERE e.BUSINESS_KEY_ = ?""").param(lead.id()).query(Long.class).single();
	}

	long historyVariableRows(Lead lead) {
		return historyVariableNames(lead).size();
	}

}
