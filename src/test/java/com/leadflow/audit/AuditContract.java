package com.leadflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.process.LeadProcess;
import com.leadflow.scheduling.OwnerAssignment;
import com.leadflow.testsupport.LeadflowApiSupport;

import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The manager's audit (API.md, Audit): the invariant is broken through the engine's own APIs —
 * never by editing Leadflow's tables — and the audit must list each broken lead with its reason;
 * each fix must leave the lead with exactly one open next action again. The database and the
 * context are shared with other test classes, so every assertion is about this test's own leads
 * (fresh reps, {@code owner=} filters) or about count deltas. Runs on H2 ({@link AuditApiTest})
 * and MySQL ({@link AuditApiMySqlIT}).
 */
abstract class AuditContract extends LeadflowApiSupport {

	/** A Wednesday, 10:00 in Tokyo: a working day. */
	static final Instant WEDNESDAY_10 = tokyo(2026, 12, 2, 10, 0);

	/** The next day, 14:00 in Tokyo: a valid time for a repaired next action. */
	static final Instant THURSDAY_14 = tokyo(2026, 12, 3, 14, 0);

	@Autowired
	AuditJobs jobs;

	@Autowired
	OwnerAssignment assignment;

	@BeforeEach
	void workingDayMorning() {
		clockAt(WEDNESDAY_10);
	}

	// ---------------------------------------------------------------- broken by the engine's APIs

	@Test
	void processDeletedBehindTheAppsBackIsListedAndRepairedWithOneNewCall() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		assertInvariant(id);
		assertThat(findings(rep)).isEmpty();
		long before = summary().get("withoutNextAction").asLong();

		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		assertThat(processesOf(id)).isEmpty();

		JsonNode finding = finding(rep, id);
		assertThat(finding.get("reason").asText()).isEqualTo("PROCESS_ENDED");
		assertThat(finding.get("status").asText()).isEqualTo("ACTIVE");
		assertThat(finding.get("owner").asText()).isEqualTo(rep);
		assertThat(finding.get("route").asText()).isEqualTo("NURTURE");
		assertThat(finding.get("company").asText()).startsWith("株式会社テスト");
		assertThat(summary().get("withoutNextAction").asLong()).isEqualTo(before + 1);

		repair(id, "CALL", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));

		JsonNode lead = assertRepaired(id, rep);
		assertThat(actionType(lead)).isEqualTo("CALL");
		assertThat(dueAt(lead)).isEqualTo(THURSDAY_14);
		assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(rep);
		assertThat(processesOf(id).stream().filter(p -> isDefinition(p, LeadProcess.KEY))).hasSize(1);
		assertThat(summary().get("withoutNextAction").asLong()).isEqualTo(before);
		assertThat(historyTypes(id)).contains("REASSIGNED");
	}

	@Test
	void completingAnActionWhoseProcessWasDeletedIsAConflictThatChangesNothing() throws Exception {
		String rep = freshRep("aud");
		String callLead = createLead("NURTURE", rep).get("id").asText();
		String contentLead = createLead("NURTURE", rep).get("id").asText();
		JsonNode content = complete(actionId(lead(contentLead)), rep,
				Map.of("outcome", "CONTACTED", "hearing", Map.of("need", "MA")));
		assertThat(actionType(content)).isEqualTo("CONTENT");
		for (String id : List.of(callLead, contentLead)) {
			runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		}

		for (String id : List.of(callLead, contentLead)) {
			JsonNode before = lead(id);
			String outcome = "CONTENT".equals(actionType(before)) ? "SENT" : "NO_ANSWER";
			MvcResult result = postComplete(actionId(before), rep, Map.of("outcome", outcome)).andReturn();
			assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(409);
			assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
			assertThat(read(result).get("detail").asText()).contains("audit");
			// Nothing of the attempt is kept: the action is still open, no outcome or touch is recorded.
			JsonNode after = lead(id);
			assertThat(actionId(after)).isEqualTo(actionId(before));
			assertThat(after.get("history")).hasSameSizeAs(before.get("history"));
			assertThat(after.get("lastTouchAt")).isEqualTo(before.get("lastTouchAt"));
			assertThat(finding(rep, id).get("reason").asText()).isEqualTo("PROCESS_ENDED");
		}

		repair(callLead, "CALL", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
		clockAt(THURSDAY_14);
		assertThat(actionType(complete(actionId(lead(callLead)), rep, "NO_ANSWER"))).isNotNull();
		assertInvariant(callLead);
	}

	@Test
	void aRepairToContentAfterTheProcessWasDeletedClearsTheFindingAtOnce() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		assertThat(finding(rep, id).get("reason").asText()).isEqualTo("PROCESS_ENDED");

		repair(id, "CONTENT", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));

		assertThat(actionType(assertRepaired(id, rep))).isEqualTo("CONTENT");
	}

	@Test
	void suspendedProcessesAreAConflictForTheirCompletionAndNoObstacleToAReassignment() throws Exception {
		String rep = freshRep("aud");
		String other = freshRep("aud");
		String suspended = createLead("NURTURE", rep).get("id").asText();
		String deleted = createLead("NURTURE", rep).get("id").asText();
		String healthy = createLead("NURTURE", rep).get("id").asText();
		for (ProcessInstance instance : processesOf(suspended)) {
			runtimeService.suspendProcessInstanceById(instance.getId());
		}
		runtimeService.deleteProcessInstance(leadInstance(deleted).getId(), "cockpit");

		JsonNode before = lead(suspended);
		MvcResult refused = postComplete(actionId(before), rep, Map.of("outcome", "NO_ANSWER")).andReturn();
		assertThat(refused.getResponse().getStatus()).as(refused.getResponse().getContentAsString()).isEqualTo(409);
		assertThat(read(refused).get("detail").asText()).contains("suspended");
		assertThat(actionId(lead(suspended))).isEqualTo(actionId(before));
		assertThat(lead(suspended).get("history")).hasSameSizeAs(before.get("history"));

		// The audit lists it once checked, and its repair (a new process) works on it.
		MvcResult check = mvc.perform(post("/api/audit/check").with(manager())).andReturn();
		assertThat(check.getResponse().getStatus()).isEqualTo(200);
		assertThat(finding(rep, suspended).get("reason").asText()).isEqualTo("PROCESS_SUSPENDED");
		assertThat(finding(rep, deleted).get("reason").asText()).isEqualTo("PROCESS_ENDED");
		assertThat(findings(rep).stream().map(f -> f.get("leadId").asText())).doesNotContain(healthy);

		// One lead broken outside Leadflow does not hold back the others: all three actions move.
		assertThat(reassign(Map.of("from", rep, "to", other), 200).get("reassigned").asInt()).isEqualTo(3);
		assertThat(openTasksOf(healthy).get(0).getAssignee()).isEqualTo(other);
		for (String id : List.of(suspended, deleted, healthy)) {
			assertThat(lead(id).get("nextAction").get("assignee").asText()).isEqualTo(other);
		}
		repair(suspended, "CALL", THURSDAY_14, other).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
		assertRepaired(suspended, other);
		assertThat(processesOf(suspended)).allSatisfy(p -> assertThat(p.isSuspended()).isFalse());
	}

	@Test
	void taskGoneWhileTheProcessLivesIsListedAndRepaired() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		String oldTask = openTasksOf(id).get(0).getId();

		// The route instance moves on to the content wait: the engine cancels the task, and no
		// projection row is written for the content step.
		runtimeService.createProcessInstanceModification(routeInstance(id).getId())
			.cancelAllForActivity(LeadProcess.Elements.TASK_WORK_NEXT_ACTION)
			.startBeforeActivity("EventGateway_ContentAction")
			.execute();
		assertThat(openTasksOf(id)).isEmpty();
		assertThat(openActionRow(id).get("type")).isEqualTo("CALL");

		JsonNode finding = finding(rep, id);
		assertThat(finding.get("reason").asText()).isEqualTo("TASK_MISSING");
		assertThat(finding.get("detail").asText()).isEqualTo(oldTask);

		repair(id, "EMAIL", THURSDAY_14, null).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
		JsonNode lead = assertRepaired(id, rep);
		assertThat(actionType(lead)).isEqualTo("EMAIL");
		assertThat(openTasksOf(id).get(0).getAssignee()).isEqualTo(rep);
		assertThat(timerJobsOf(id, LeadProcess.Elements.TIMER_CONTENT_DUE)).isEmpty();
	}

	@Test
	void contentTimerDeletedInTheEngineIsListedAndRepaired() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		JsonNode lead = complete(actionId(lead(id)), rep, Map.of("outcome", "CONTACTED", "hearing", Map.of("need", "MA")));
		assertThat(actionType(lead)).isEqualTo("CONTENT");
		Job timer = timerJobsOf(id, LeadProcess.Elements.TIMER_CONTENT_DUE).get(0);

		managementService.deleteJob(timer.getId());

		JsonNode finding = finding(rep, id);
		assertThat(finding.get("reason").asText()).isEqualTo("TIMER_MISSING");
		assertThat(finding.get("detail").asText()).isEqualTo(routeInstance(id).getId());
		repair(id, "CONTENT", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
		lead = assertRepaired(id, rep);
		assertThat(actionType(lead)).isEqualTo("CONTENT");
		assertThat(timerJobsOf(id, LeadProcess.Elements.TIMER_CONTENT_DUE)).extracting(j -> j.getDuedate().toInstant())
			.containsExactly(THURSDAY_14);
	}

	@Test
	void completingTheTaskOutsideLeadflowFailsAndChangesNothing() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		Task task = openTasksOf(id).get(0);
		Object actionBefore = openActionRow(id).get("id");

		// Tasklist or engine REST completing the task: the process plans a second open action for
		// the lead, which the projection's unique key refuses; the engine's transaction rolls back.
		assertThatThrownBy(() -> taskService.complete(task.getId(), Map.of("lastOutcome", "NO_ANSWER")))
			.isInstanceOf(RuntimeException.class);

		assertThat(openTasksOf(id)).extracting(Task::getId).containsExactly(task.getId());
		assertThat(openActionRow(id).get("id")).isEqualTo(actionBefore);
		assertInvariant(id);
		assertThat(findings(rep)).isEmpty();
	}

	@Test
	void failingContentJobBecomesAnIncidentAndRetryingItRestoresTheCadence() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		JsonNode lead = complete(actionId(lead(id)), rep,
				Map.of("outcome", "CONTACTED", "hearing", Map.of("budget", "未定", "timeline", "来期")));
		assertThat(actionType(lead)).isEqualTo("CONTENT");
		assertInvariant(id);
		Instant contentDue = dueAt(lead);
		String child = routeInstance(id).getId();
		Job timer = timerJobsOf(id, LeadProcess.Elements.TIMER_CONTENT_DUE).get(0);
		long incidentsBefore = summary().get("incidents").asLong();

		Object actionId = runtimeService.getVariable(child, LeadProcess.Vars.ACTION_ID);
		runtimeService.setVariable(child, LeadProcess.Vars.ACTION_ID, "missing");
		managementService.setJobRetries(timer.getId(), 1);
		clockAt(contentDue.plus(1, ChronoUnit.HOURS));
		assertThatThrownBy(() -> managementService.executeJob(timer.getId())).isInstanceOf(RuntimeException.class);

		Incident incident = runtimeService.createIncidentQuery().processInstanceId(child).singleResult();
		assertThat(incident).isNotNull();
		// The engine also raises an incident on the calling lead process; the audit shows the root cause once.
		String root = leadInstance(id).getId();
		Incident above = runtimeService.createIncidentQuery().processInstanceId(root).singleResult();
		assertThat(above.getRootCauseIncidentId()).isEqualTo(incident.getId());
		assertThat(finding(rep, id).get("reason").asText()).isEqualTo("INCIDENT");
		JsonNode counts = summary();
		assertThat(counts.get("incidents").asLong()).isGreaterThanOrEqualTo(1).isEqualTo(incidentsBefore + 1);
		JsonNode listed = incidentListed(incident.getId());
		assertThat(listed.get("leadId").asText()).isEqualTo(id);
		assertThat(listed.get("jobId").asText()).isEqualTo(timer.getId());
		assertThat(listed.get("owner").asText()).isEqualTo(rep);
		assertThat(incidentsOf(id)).hasSize(1);

		runtimeService.setVariable(child, LeadProcess.Vars.ACTION_ID, actionId);
		MvcResult retry = mvc.perform(post("/api/audit/incidents/{id}/retry", incident.getId()).with(manager())).andReturn();
		assertThat(retry.getResponse().getStatus()).as(retry.getResponse().getContentAsString()).isEqualTo(200);
		assertThat(read(retry).get("jobId").asText()).isEqualTo(timer.getId());
		managementService.executeJob(timer.getId());

		assertThat(runtimeService.createIncidentQuery().incidentId(incident.getId()).count()).isZero();
		assertThat(runtimeService.createIncidentQuery().incidentId(above.getId()).count()).isZero();
		assertThat(incidentsOf(id)).isEmpty();
		lead = assertInvariant(id);
		assertThat(actionType(lead)).isEqualTo("CALL");
		assertThat(historyTypes(id)).contains("CONTENT_SENT");
		assertThat(findings(rep)).isEmpty();
		assertThat(summary().get("incidents").asLong()).isEqualTo(incidentsBefore);

		mvc.perform(post("/api/audit/incidents/{id}/retry", incident.getId()).with(manager()))
			.andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(404));
	}

	@Test
	void taskReassignedInTheEngineIsAMismatchFixedByReassignmentOrRepair() throws Exception {
		String rep = freshRep("aud");
		String other = freshRep("aud");
		String viaReassign = createLead("NURTURE", rep).get("id").asText();
		String viaRepair = createLead("UPSELL", rep).get("id").asText();
		for (String id : List.of(viaReassign, viaRepair)) {
			taskService.setAssignee(openTasksOf(id).get(0).getId(), "rep2");
		}
		for (String id : List.of(viaReassign, viaRepair)) {
			JsonNode finding = finding(rep, id);
			assertThat(finding.get("reason").asText()).isEqualTo("PROJECTION_MISMATCH");
			assertThat(finding.get("detail").asText()).isEqualTo("rep2");
		}

		repair(viaRepair, "CALL", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
		assertRepaired(viaRepair, rep);
		assertThat(openTasksOf(viaRepair).get(0).getAssignee()).isEqualTo(rep);

		JsonNode moved = reassign(Map.of("from", rep, "to", other), 200);
		assertThat(moved.get("reassigned").asInt()).isEqualTo(2);
		for (String id : List.of(viaReassign, viaRepair)) {
			assertRepaired(id, other);
			assertThat(openTasksOf(id).get(0).getAssignee()).isEqualTo(other);
		}
		assertThat(findings(rep)).isEmpty();
	}

	// ---------------------------------------------------------------- fixes

	@Test
	void repairedLeadFollowsTheCadenceAgainWhenItReentersItsRoute() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		repair(id, "CALL", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));

		// Meeting set, held, no opportunity: the lead re-enters nurture and the decision table, not
		// the manager's one-off choice, plans its next action.
		clockAt(THURSDAY_14);
		JsonNode lead = complete(actionId(lead(id)), rep, meetingSet(tokyo(2026, 12, 8, 11, 0)));
		assertThat(lead.get("status").asText()).isEqualTo("HANDED_OFF");
		assertThat(actionType(lead)).isEqualTo("MEETING");
		clockAt(tokyo(2026, 12, 8, 13, 0));
		lead = complete(actionId(lead), SALES, "NO_OPPORTUNITY");
		assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
		assertThat(actionType(lead)).isEqualTo("CALL");
		assertThat(dueAt(lead)).isAfter(tokyo(2026, 12, 8, 13, 0).minusSeconds(1));
		assertInvariant(id);
		assertThat(runtimeService.getVariable(leadInstance(id).getId(), LeadProcess.Vars.OVERRIDE_TYPE)).isNull();
		assertThat(findings(rep)).isEmpty();
	}

	@Test
	void repairOnTheRecycleRouteUsesTheChosenActionNotTheRevisitRule() throws Exception {
		String rep = freshRep("aud");
		Map<String, Object> body = leadBody("RECYCLE", rep);
		body.put("lossReason", "COMPETITOR");
		String id = createLead(body).get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		assertThat(finding(rep, id).get("reason").asText()).isEqualTo("PROCESS_ENDED");

		repair(id, "EMAIL", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
		JsonNode lead = assertRepaired(id, rep);
		assertThat(lead.get("route").asText()).isEqualTo("RECYCLE");
		assertThat(actionType(lead)).isEqualTo("EMAIL");
		assertThat(dueAt(lead)).isEqualTo(THURSDAY_14);
	}

	@Test
	void repairRejectsWhatCannotBeANextAction() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		Object action = openActionRow(id).get("id");

		repair(id, "CALL", tokyo(2026, 12, 5, 14, 0), rep).andExpect(r -> assertBadRequest(r.getResponse(), "dueAt"));
		repair(id, "CALL", tokyo(2026, 12, 1, 14, 0), rep).andExpect(r -> assertBadRequest(r.getResponse(), "dueAt"));
		repair(id, "MEETING", THURSDAY_14, rep).andExpect(r -> assertBadRequest(r.getResponse(), "type"));
		repair(id, "CALL", THURSDAY_14, "nosuch" + rep).andExpect(r -> assertBadRequest(r.getResponse(), "assignee"));
		Map<String, Object> phoneOnly = leadBody("NURTURE", rep);
		phoneOnly.remove("email");
		String noEmail = createLead(phoneOnly).get("id").asText();
		repair(noEmail, "EMAIL", THURSDAY_14, rep).andExpect(r -> assertBadRequest(r.getResponse(), "type"));
		repair(noEmail, "CONTENT", THURSDAY_14, rep).andExpect(r -> assertBadRequest(r.getResponse(), "type"));
		assertInvariant(noEmail);
		mvc.perform(post("/api/audit/leads/{id}/next-action", id).with(manager())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\":\"CALL\"}")).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(400));
		repair("no-such-lead", "CALL", THURSDAY_14, rep)
			.andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(404));
		assertThat(openActionRow(id).get("id")).isEqualTo(action);
		assertInvariant(id);

		complete(actionId(lead(id)), rep, "DISQUALIFIED");
		repair(id, "CALL", THURSDAY_14, rep).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(409));
		assertInvariant(id);
	}

	@Test
	void bulkReassignmentMovesActionsTasksAndOwnership() throws Exception {
		String from = freshRep("aud");
		String to = freshRep("aud");
		List<String> ids = new ArrayList<>();
		for (String route : List.of("NURTURE", "UPSELL", "OUTBOUND")) {
			ids.add(createLead(route, from).get("id").asText());
		}

		assertThat(reassign(Map.of("from", from, "to", to), 200).get("reassigned").asInt()).isEqualTo(3);

		List<String> inbox = inbox(to).stream().map(i -> i.get("leadId").asText()).toList();
		assertThat(inbox).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(inbox(from)).isEmpty();
		for (String id : ids) {
			JsonNode lead = assertRepaired(id, to);
			assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(to);
			assertThat(openTasksOf(id).get(0).getAssignee()).isEqualTo(to);
		}
		assertThat(reassign(Map.of("from", from, "to", to), 200).get("reassigned").asInt()).isZero();
	}

	@Test
	void spreadingARepsWorkGivesItToOtherActiveRepsOnly() throws Exception {
		String leaving = freshRep("aud");
		for (int i = 0; i < 3; i++) {
			freshRep("aud");
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(createLead("NURTURE", leaving).get("id").asText());
		}

		assertThat(reassign(Map.of("from", leaving, "spread", true), 200).get("reassigned").asInt()).isEqualTo(3);

		assertThat(inbox(leaving)).isEmpty();
		for (String id : ids) {
			JsonNode lead = lead(id);
			String owner = lead.get("owner").asText();
			assertThat(owner).isNotEqualTo(leaving);
			assertThat(assignment.isActiveRep(owner)).as("%s is an active rep", owner).isTrue();
			assertRepaired(id, owner);
			assertThat(openTasksOf(id).get(0).getAssignee()).isEqualTo(owner);
			assertThat(inboxItem(owner, id).get("id").asText()).isEqualTo(actionId(lead));
		}
	}

	@Test
	void invalidReassignmentsAreRejected() throws Exception {
		String from = freshRep("aud");
		String to = freshRep("aud");
		String id = createLead("NURTURE", from).get("id").asText();

		assertBadRequest(reassignResponse(Map.of("from", from, "to", to, "spread", true)), "to");
		assertBadRequest(reassignResponse(Map.of("from", from)), "to");
		assertBadRequest(reassignResponse(Map.of("from", from, "to", "nosuch" + to)), "to");
		assertBadRequest(reassignResponse(Map.of("from", from, "to", from)), "to");
		assertBadRequest(reassignResponse(Map.of("to", to)), "from");
		reps.save(to, false, null);
		assertBadRequest(reassignResponse(Map.of("from", from, "to", to)), "to");

		assertRepaired(id, from);
	}

	@Test
	void reassigningFromAnUnknownUserIsRefusedUnlessItStillHoldsWork() throws Exception {
		String to = freshRep("aud");
		String nobody = "nobody" + to;

		MockHttpServletResponse unknown = reassignResponse(Map.of("from", nobody, "to", to));
		assertBadRequest(unknown, "from");
		assertThat(unknown.getContentAsString(StandardCharsets.UTF_8))
			.contains("there is no user '" + nobody + "' and no open action is assigned to it");
		assertBadRequest(reassignResponse(Map.of("from", nobody, "spread", true)), "from");

		// Deleted from the identity service with its work still open: exactly what the reassignment is for.
		String gone = freshRep("aud");
		String id = createLead("NURTURE", gone).get("id").asText();
		identityService.deleteUser(gone);
		assertThat(reassign(Map.of("from", gone, "to", to), 200).get("reassigned").asInt()).isEqualTo(1);
		assertRepaired(id, to);
		// Now it holds nothing and does not exist.
		assertBadRequest(reassignResponse(Map.of("from", gone, "to", to)), "from");
	}

	// ---------------------------------------------------------------- lists

	@Test
	void overdueActionsAreListedByOwnerAndRouteWithPaging() throws Exception {
		String rep = freshRep("aud");
		JsonNode nurture = createLead("NURTURE", rep);
		clockAt(WEDNESDAY_10.plusSeconds(60));
		JsonNode upsell = createLead("UPSELL", rep);
		assertThat(dueAt(upsell)).isAfter(dueAt(nurture));
		clockAt(dueAt(nurture));
		assertThat(overdue(rep, null, 0, 50).get("totalElements").asLong()).isZero();

		clockAt(WEDNESDAY_10.plus(3, ChronoUnit.DAYS));
		JsonNode all = overdue(rep, null, 0, 50);
		assertThat(all.get("totalElements").asLong()).isEqualTo(2);
		JsonNode first = all.get("content").get(0);
		assertThat(first.get("leadId").asText()).isEqualTo(nurture.get("id").asText());
		assertThat(first.get("actionId").asText()).isEqualTo(actionId(nurture));
		assertThat(Instant.parse(first.get("dueAt").asText())).isEqualTo(dueAt(nurture));
		assertThat(first.get("type").asText()).isEqualTo("CALL");
		assertThat(first.get("assignee").asText()).isEqualTo(rep);
		assertThat(first.get("company").asText()).isEqualTo(nurture.get("company").asText());
		assertThat(all.get("content").get(1).get("leadId").asText()).isEqualTo(upsell.get("id").asText());

		JsonNode upsellOnly = overdue(rep, "UPSELL", 0, 50);
		assertThat(upsellOnly.get("totalElements").asLong()).isEqualTo(1);
		assertThat(upsellOnly.get("content").get(0).get("leadId").asText()).isEqualTo(upsell.get("id").asText());

		JsonNode page0 = overdue(rep, null, 0, 1);
		JsonNode page1 = overdue(rep, null, 1, 1);
		JsonNode page2 = overdue(rep, null, 2, 1);
		assertThat(page0.get("totalElements").asLong()).isEqualTo(2);
		assertThat(page0.get("content")).hasSize(1);
		assertThat(page0.get("content").get(0).get("leadId").asText()).isEqualTo(nurture.get("id").asText());
		assertThat(page1.get("content").get(0).get("leadId").asText()).isEqualTo(upsell.get("id").asText());
		assertThat(page2.get("content")).isEmpty();
		assertThat(summary().get("overdue").asLong()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void untouchedLeadsAreListedAfterTheTouchInterval() throws Exception {
		String rep = freshRep("aud");
		String quiet = createLead("NURTURE", rep).get("id").asText();
		String touched = createLead("NURTURE", rep).get("id").asText();
		clockAt(WEDNESDAY_10.plus(50, ChronoUnit.DAYS));
		complete(actionId(lead(touched)), rep, Map.of("outcome", "CONTACTED", "hearing", Map.of("need", "SFA")));
		assertThat(leadIds(untouched(rep, null))).isEmpty();

		clockAt(WEDNESDAY_10.plus(100, ChronoUnit.DAYS));
		JsonNode page = untouched(rep, null);
		assertThat(leadIds(page)).containsExactly(quiet);
		assertThat(page.get("content").get(0).get("lastTouchAt").isNull()).isTrue();
		assertThat(leadIds(untouched(rep, "UPSELL"))).isEmpty();
		assertThat(summary().get("untouched90d").asLong()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void leadsOfInactiveOwnersAreListedUntilTheRepIsBack() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("OUTBOUND", rep).get("id").asText();
		assertThat(leadIds(inactiveOwners(rep, null))).isEmpty();
		long before = summary().get("inactiveOwners").asLong();

		reps.save(rep, false, null);
		assertThat(leadIds(inactiveOwners(rep, null))).containsExactly(id);
		assertThat(leadIds(inactiveOwners(rep, "OUTBOUND"))).containsExactly(id);
		assertThat(leadIds(inactiveOwners(rep, "NURTURE"))).isEmpty();
		assertThat(summary().get("inactiveOwners").asLong()).isEqualTo(before + 1);
		String csv = csv("/api/audit/inactive-owners", Map.of("owner", rep));
		assertThat(csv).contains(id);

		reps.save(rep, true, null);
		assertThat(leadIds(inactiveOwners(rep, null))).isEmpty();
		assertThat(summary().get("inactiveOwners").asLong()).isEqualTo(before);
	}

	@Test
	void csvListsCarryJapaneseNamesAndNeutraliseFormulas() throws Exception {
		String rep = freshRep("aud");
		JsonNode japanese = createLead("NURTURE", rep);
		Map<String, Object> evil = leadBody("NURTURE", rep);
		evil.put("company", "=HYPERLINK(\"http://evil.example\",\"x\")");
		String evilId = createLead(evil).get("id").asText();
		Map<String, Object> multiline = leadBody("NURTURE", rep);
		multiline.put("company", "@SUM(1+1)\n株式会社");
		String multilineId = createLead(multiline).get("id").asText();
		Map<String, Object> minus = leadBody("NURTURE", rep);
		minus.put("company", "-2+3 株式会社");
		String minusId = createLead(minus).get("id").asText();
		for (String id : List.of(japanese.get("id").asText(), evilId, multilineId, minusId)) {
			runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		}
		clockAt(WEDNESDAY_10.plus(3, ChronoUnit.DAYS));

		String noNext = csv("/api/audit/no-next-action", Map.of("owner", rep));
		assertThat(noNext).startsWith("\uFEFFleadId,company,owner,status,route,reason,detail\r\n");
		assertThat(noNext).contains(japanese.get("company").asText());
		assertThat(noNext).contains(japanese.get("id").asText() + "," + japanese.get("company").asText() + "," + rep
				+ ",ACTIVE,NURTURE,PROCESS_ENDED,");
		assertThat(noNext).contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
		assertThat(noNext).contains("\"'@SUM(1+1)\n株式会社\"");
		assertThat(noNext).contains(minusId + ",'-2+3 株式会社,");
		assertNoCellStartsAFormula(noNext);

		String overdue = csv("/api/audit/overdue", Map.of("owner", rep));
		assertThat(overdue).startsWith("\uFEFFactionId,leadId,company,owner,route,type,dueAt,overdueHours,assignee\r\n");
		assertThat(overdue).contains(japanese.get("company").asText());
		assertNoCellStartsAFormula(overdue);

		String untouchedCsv = csv("/api/audit/untouched", Map.of("owner", rep));
		assertThat(untouchedCsv).startsWith("\uFEFFleadId,company,owner,route,status,lastTouchAt,createdAt\r\n");
		assertThat(csv("/api/audit/incidents", Map.of())).startsWith("\uFEFFincidentId,leadId,company,owner,activityId,");
	}

	@Test
	void listsRejectBadFormatsAndPageSizes() throws Exception {
		for (String path : List.of("/api/audit/no-next-action", "/api/audit/overdue", "/api/audit/untouched",
				"/api/audit/inactive-owners", "/api/audit/incidents")) {
			assertBadRequest(mvc.perform(get(path).param("format", "xml").with(manager())).andReturn().getResponse(),
					"format");
			assertBadRequest(mvc.perform(get(path).param("size", "0").with(manager())).andReturn().getResponse(), "size");
			assertBadRequest(mvc.perform(get(path).param("size", "501").with(manager())).andReturn().getResponse(), "size");
			assertBadRequest(mvc.perform(get(path).param("page", "-1").with(manager())).andReturn().getResponse(), "page");
			assertThat(mvc.perform(get(path).param("size", "500").with(manager())).andReturn().getResponse().getStatus())
				.isEqualTo(200);
		}
		assertThat(mvc.perform(get("/api/audit/overdue").param("route", "SIDEWAYS").with(manager()))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(400);
	}

	@Test
	void onlyManagersMayAudit() throws Exception {
		List<MockHttpServletRequestBuilder> calls = List.of(get("/api/audit"), get("/api/audit/no-next-action"),
				get("/api/audit/overdue"), get("/api/audit/untouched"), get("/api/audit/inactive-owners"),
				get("/api/audit/incidents"), get("/api/audit/no-next-action").param("format", "csv"),
				post("/api/audit/check"),
				post("/api/audit/reassign").contentType(MediaType.APPLICATION_JSON).content("{\"from\":\"rep1\",\"to\":\"rep2\"}"),
				post("/api/audit/leads/x/next-action").contentType(MediaType.APPLICATION_JSON)
					.content("{\"type\":\"CALL\",\"dueAt\":\"2026-12-03T05:00:00Z\"}"),
				post("/api/audit/incidents/x/retry"));
		for (MockHttpServletRequestBuilder call : calls) {
			assertThat(mvc.perform(call.with(httpBasic("rep1", "rep1"))).andReturn().getResponse().getStatus())
				.as("rep1 on %s", call)
				.isEqualTo(403);
		}
		for (String user : List.of("marketing", "sales1")) {
			assertThat(mvc.perform(get("/api/audit").with(httpBasic(user, user))).andReturn().getResponse().getStatus())
				.isEqualTo(403);
		}
		assertThat(mvc.perform(get("/api/audit")).andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	@Test
	void consistencyCheckRecordsARunWithTheDriftFound() throws Exception {
		String rep = freshRep("aud");
		String broken = createLead("NURTURE", rep).get("id").asText();
		String healthy = createLead("NURTURE", rep).get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(broken).getId(), "cockpit");

		MvcResult result = mvc.perform(post("/api/audit/check").with(manager())).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode run = read(result);
		String runId = run.get("id").asText();
		List<String> drifted = new ArrayList<>();
		run.get("findings").forEach(f -> drifted.add(f.get("leadId").asText()));
		assertThat(drifted).contains(broken).doesNotContain(healthy);
		assertThat(run.get("withoutNextAction").asLong()).isEqualTo(run.get("findings").size()).isGreaterThanOrEqualTo(1);

		Map<String, Object> row = jdbc.sql("SELECT without_next_action, active_leads, run_by FROM lf_audit_run WHERE id = ?")
			.param(runId)
			.query()
			.singleRow();
		Map<String, Object> lower = new HashMap<>();
		row.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
		assertThat(((Number) lower.get("without_next_action")).longValue()).isEqualTo(run.get("withoutNextAction").asLong());
		assertThat(((Number) lower.get("active_leads")).longValue()).isEqualTo(run.get("activeLeads").asLong());
		assertThat(lower.get("run_by")).isEqualTo(MANAGER);
		assertThat(jdbc.sql("SELECT reason FROM lf_audit_drift WHERE run_id = ? AND lead_id = ?")
			.params(runId, broken)
			.query(String.class)
			.single()).isEqualTo("PROCESS_ENDED");
		assertThat(jdbc.sql("SELECT COUNT(*) FROM lf_audit_drift WHERE run_id = ? AND lead_id = ?")
			.params(runId, healthy)
			.query(Long.class)
			.single()).isZero();
	}

	// ---------------------------------------------------------------- daily alert

	@Test
	void dailyAlertIsRecordedOnceOnWorkingDayMorningsOnly() throws Exception {
		// Something to report: a lead of this test without a next action.
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");

		// A working day and a Saturday far from any other test's clock, so no other alert exists for them.
		LocalDate monday = LocalDate.of(ThreadLocalRandom.current().nextInt(2060, 2100), 1 + ThreadLocalRandom.current().nextInt(12), 1)
			.with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY))
			.plusWeeks(1);
		LocalDate day = monday;
		while (!calendar.isWorkingDay(day)) {
			day = day.plusDays(1);
		}
		LocalDate saturday = day.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));

		assertThat(jobs.dailyAlert(at(day, LocalTime.of(8, 29)))).isFalse();
		assertThat(alertsOn(day)).isZero();
		assertThat(jobs.dailyAlert(at(day, LocalTime.of(8, 31)))).isTrue();
		assertThat(alertsOn(day)).isEqualTo(1);
		assertThat(jobs.dailyAlert(at(day, LocalTime.of(9, 0)))).isFalse();
		assertThat(jobs.dailyAlert(at(day, LocalTime.of(17, 0)))).isFalse();
		assertThat(alertsOn(day)).isEqualTo(1);
		assertThat(jdbc.sql("SELECT summary FROM lf_audit_alert WHERE alert_day = ?")
			.param(java.sql.Date.valueOf(day))
			.query(String.class)
			.single()).contains("Leadflow audit " + day).contains("leads without next action");

		assertThat(jobs.dailyAlert(at(saturday, LocalTime.of(10, 0)))).isFalse();
		assertThat(alertsOn(saturday)).isZero();
	}

	// ---------------------------------------------------------------- helpers

	static org.springframework.test.web.servlet.request.RequestPostProcessor manager() {
		return httpBasic(MANAGER, MANAGER);
	}

	JsonNode summary() throws Exception {
		MvcResult result = mvc.perform(get("/api/audit").with(manager())).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return read(result);
	}

	/** The findings of one owner's leads (all pages). */
	List<JsonNode> findings(String owner) throws Exception {
		List<JsonNode> all = new ArrayList<>();
		for (int page = 0;; page++) {
			MvcResult result = mvc.perform(get("/api/audit/no-next-action").param("owner", owner)
				.param("page", Integer.toString(page))
				.param("size", "500")
				.with(manager())).andReturn();
			assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
			JsonNode body = read(result);
			body.get("content").forEach(all::add);
			if (all.size() >= body.get("totalElements").asLong() || body.get("content").isEmpty()) {
				return all;
			}
		}
	}

	/** The one finding of the lead; it must be listed, once. */
	JsonNode finding(String owner, String leadId) throws Exception {
		List<JsonNode> mine = findings(owner).stream().filter(f -> f.get("leadId").asText().equals(leadId)).toList();
		assertThat(mine).as("findings of lead %s", leadId).hasSize(1);
		return mine.get(0);
	}

	/** The lead has exactly one open next action again, owned by {@code owner}, and is not listed. */
	JsonNode assertRepaired(String leadId, String owner) throws Exception {
		JsonNode lead = assertInvariant(leadId);
		assertThat(lead.get("owner").asText()).isEqualTo(owner);
		assertThat(jdbc.sql("SELECT assignee FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'")
			.param(leadId)
			.query(String.class)
			.single()).isEqualTo(owner);
		assertThat(findings(owner).stream().map(f -> f.get("leadId").asText())).doesNotContain(leadId);
		return lead;
	}

	org.springframework.test.web.servlet.ResultActions repair(String leadId, String type, Instant dueAt, String assignee)
			throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", type);
		body.put("dueAt", dueAt.toString());
		if (assignee != null) {
			body.put("assignee", assignee);
		}
		return mvc.perform(post("/api/audit/leads/{id}/next-action", leadId).with(manager())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body)));
	}

	org.springframework.mock.web.MockHttpServletResponse reassignResponse(Map<String, Object> body) throws Exception {
		return mvc.perform(post("/api/audit/reassign").with(manager())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body))).andReturn().getResponse();
	}

	JsonNode reassign(Map<String, Object> body, int status) throws Exception {
		org.springframework.mock.web.MockHttpServletResponse response = reassignResponse(body);
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
		return json.readTree(response.getContentAsByteArray());
	}

	static void assertBadRequest(org.springframework.mock.web.MockHttpServletResponse response, String field)
			throws Exception {
		String body = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as(body).isEqualTo(400);
		assertThat(body).as("problem naming field %s", field).contains("\"field\":\"" + field);
	}

	JsonNode overdue(String owner, String route, int page, int size) throws Exception {
		return list("/api/audit/overdue", owner, route, page, size);
	}

	JsonNode untouched(String owner, String route) throws Exception {
		return list("/api/audit/untouched", owner, route, 0, 500);
	}

	JsonNode inactiveOwners(String owner, String route) throws Exception {
		return list("/api/audit/inactive-owners", owner, route, 0, 500);
	}

	JsonNode list(String path, String owner, String route, int page, int size) throws Exception {
		MockHttpServletRequestBuilder request = get(path).param("page", Integer.toString(page))
			.param("size", Integer.toString(size))
			.with(manager());
		if (owner != null) {
			request = request.param("owner", owner);
		}
		if (route != null) {
			request = request.param("route", route);
		}
		MvcResult result = mvc.perform(request).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return read(result);
	}

	static List<String> leadIds(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.get("content").forEach(item -> ids.add(item.get("leadId").asText()));
		return ids;
	}

	/** The incidents of a lead as listed by GET /api/audit/incidents (every page). */
	List<JsonNode> incidentsOf(String leadId) throws Exception {
		List<JsonNode> mine = new ArrayList<>();
		for (int page = 0;; page++) {
			MvcResult result = mvc.perform(get("/api/audit/incidents").param("page", Integer.toString(page))
				.param("size", "500")
				.with(manager())).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(200);
			JsonNode body = read(result);
			body.get("content").forEach(item -> {
				if (leadId.equals(item.get("leadId").asText())) {
					mine.add(item);
				}
			});
			if (body.get("content").size() < 500) {
				return mine;
			}
		}
	}

	/** The incident as listed by GET /api/audit/incidents (searching every page). */
	JsonNode incidentListed(String incidentId) throws Exception {
		for (int page = 0;; page++) {
			MvcResult result = mvc.perform(get("/api/audit/incidents").param("page", Integer.toString(page))
				.param("size", "500")
				.with(manager())).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(200);
			JsonNode body = read(result);
			for (JsonNode item : body.get("content")) {
				if (item.get("incidentId").asText().equals(incidentId)) {
					return item;
				}
			}
			assertThat(body.get("content").size()).as("incident %s listed", incidentId).isEqualTo(500);
		}
	}

	String csv(String path, Map<String, String> params) throws Exception {
		MockHttpServletRequestBuilder request = get(path).param("format", "csv").with(manager());
		for (Map.Entry<String, String> param : params.entrySet()) {
			request = request.param(param.getKey(), param.getValue());
		}
		MvcResult result = mvc.perform(request).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		assertThat(MediaType.parseMediaType(result.getResponse().getContentType()))
			.isEqualTo(new MediaType("text", "csv", StandardCharsets.UTF_8));
		assertThat(result.getResponse().getHeader("Content-Disposition")).startsWith("attachment;");
		return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
	}

	/** No CSV cell begins with a character a spreadsheet would start a formula with. */
	static void assertNoCellStartsAFormula(String csv) {
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		List<String> cells = new ArrayList<>();
		String body = csv.substring(1);
		for (int i = 0; i < body.length(); i++) {
			char c = body.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
					cell.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					cell.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',' || c == '\n') {
				cells.add(cell.toString());
				cell.setLength(0);
			}
			else if (c != '\r') {
				cell.append(c);
			}
		}
		cells.add(cell.toString());
		assertThat(cells).noneMatch(v -> !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0);
	}

	long alertsOn(LocalDate day) {
		return jdbc.sql("SELECT COUNT(*) FROM lf_audit_alert WHERE alert_day = ?")
			.param(java.sql.Date.valueOf(day))
			.query(Long.class)
			.single();
	}

	static Instant at(LocalDate day, LocalTime time) {
		return day.atTime(time).atZone(TOKYO).toInstant();
	}

	ProcessInstance leadInstance(String leadId) {
		List<ProcessInstance> leads = processesOf(leadId).stream().filter(p -> isDefinition(p, LeadProcess.KEY)).toList();
		assertThat(leads).as("lead processes of %s", leadId).hasSize(1);
		return leads.get(0);
	}

	ProcessInstance routeInstance(String leadId) {
		List<ProcessInstance> routes = processesOf(leadId).stream()
			.filter(p -> List.of(LeadProcess.NURTURE, LeadProcess.UPSELL, LeadProcess.RECYCLE, LeadProcess.OUTBOUND)
				.stream()
				.anyMatch(key -> isDefinition(p, key)))
			.toList();
		assertThat(routes).as("route processes of %s", leadId).hasSize(1);
		return routes.get(0);
	}

	static boolean isDefinition(ProcessInstance instance, String key) {
		return instance.getProcessDefinitionId().startsWith(key + ":");
	}

}
