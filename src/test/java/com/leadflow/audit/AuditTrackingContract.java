package com.leadflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.process.LeadProcess;
import com.leadflow.testsupport.LeadflowApiSupport;

import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The audit's incremental path: the engine marks a changed lead in its own transaction (whoever
 * makes the change, with or without custom listeners), the next audit request compares only the
 * marked leads with the engine and stores what it finds; the counters behind {@code GET /api/audit}
 * always equal a recount; and the scheduled consistency check repairs what the incremental path
 * missed. Runs on H2 ({@link AuditTrackingTest}) and MySQL ({@link AuditTrackingMySqlIT}).
 */
abstract class AuditTrackingContract extends LeadflowApiSupport {

	static final Instant WEDNESDAY_10 = tokyo(2026, 12, 2, 10, 0);

	static final Instant THURSDAY_14 = tokyo(2026, 12, 3, 14, 0);

	@Autowired
	AuditService audit;

	@Autowired
	AuditCounters counters;

	@BeforeEach
	void workingDayMorning() {
		clockAt(WEDNESDAY_10);
	}

	@Test
	void processDeletedWithoutCustomListenersIsMarkedAndFoundWithoutTheFullCheck() throws Exception {
		String rep = freshRep("trk");
		String id = createLead("NURTURE", rep).get("id").asText();
		summary(); // re-checks whatever was marked so far
		assertThat(dirty(id)).isFalse();
		assertThat(storedReason(id)).isNull();
		long runs = runs();

		// Cockpit's "delete, skip custom listeners": no listener of Leadflow's runs.
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit", true, true);

		assertThat(dirty(id)).as("marked in the engine's transaction").isTrue();
		assertThat(storedReason(id)).as("not re-checked before a request").isNull();
		assertThat(finding(rep, id).get("reason").asText()).isEqualTo("PROCESS_ENDED");
		assertThat(dirty(id)).isFalse();
		assertThat(storedReason(id)).isEqualTo("PROCESS_ENDED");
		assertThat(runs()).as("no full consistency check ran").isEqualTo(runs);

		// Fixed: the repair restarts the process (marking the lead again), the next request drops the finding.
		repair(id, rep);
		assertThat(findings(rep)).isEmpty();
		assertThat(storedReason(id)).isNull();
		assertThat(dirty(id)).isFalse();
	}

	@Test
	void aChangeTheEngineRollsBackLeavesNoMark() throws Exception {
		String rep = freshRep("trk");
		String id = createLead("NURTURE", rep).get("id").asText();
		summary();
		Task task = openTasksOf(id).get(0);

		// Completing outside Leadflow fails (see AuditContract) and the engine's transaction rolls back.
		assertThatThrownBy(() -> taskService.complete(task.getId(), Map.of("lastOutcome", "NO_ANSWER")))
			.isInstanceOf(RuntimeException.class);

		assertThat(dirty(id)).isFalse();
	}

	@Test
	void deletedTimerJobAndReassignedTaskAreMarked() throws Exception {
		String rep = freshRep("trk");
		String content = createLead("NURTURE", rep).get("id").asText();
		complete(actionId(lead(content)), rep, Map.of("outcome", "CONTACTED", "hearing", Map.of("need", "MA")));
		String call = createLead("UPSELL", rep).get("id").asText();
		summary();
		assertThat(dirty(content)).isFalse();
		assertThat(dirty(call)).isFalse();

		Job timer = timerJobsOf(content, LeadProcess.Elements.TIMER_CONTENT_DUE).get(0);
		managementService.deleteJob(timer.getId());
		taskService.setAssignee(openTasksOf(call).get(0).getId(), "rep2");

		assertThat(dirty(content)).isTrue();
		assertThat(dirty(call)).isTrue();
		assertThat(finding(rep, content).get("reason").asText()).isEqualTo("TIMER_MISSING");
		assertThat(finding(rep, call).get("reason").asText()).isEqualTo("PROJECTION_MISMATCH");
	}

	@Test
	void theAnswerEqualsARecountAtAnyTime() throws Exception {
		String rep = freshRep("trk");
		String other = freshRep("trk");
		List<String> ids = new ArrayList<>();
		for (String route : List.of("NURTURE", "UPSELL", "OUTBOUND", "NURTURE")) {
			clockAt(WEDNESDAY_10.plus(ids.size() * 50L, ChronoUnit.MINUTES));
			ids.add(createLead(route, rep).get("id").asText());
		}
		clockAt(WEDNESDAY_10.plus(5, ChronoUnit.HOURS));
		complete(actionId(lead(ids.get(0))), rep, "NO_ANSWER"); // touched, next call planned
		complete(actionId(lead(ids.get(1))), rep, "DISQUALIFIED"); // closed: no longer active
		audit.reassign(rep, other, false, MANAGER); // owner changes for the open ones
		runtimeService.deleteProcessInstance(routeInstance(ids.get(2)).getId(), "cockpit", true, true);
		reps.save(other, false, null); // an inactive owner

		for (Instant at : List.of(WEDNESDAY_10.plus(5, ChronoUnit.HOURS).plusSeconds(1234),
				WEDNESDAY_10.plus(3, ChronoUnit.DAYS).plusSeconds(2345), WEDNESDAY_10.plus(93, ChronoUnit.DAYS).plusSeconds(17),
				WEDNESDAY_10.plus(150, ChronoUnit.DAYS))) {
			clockAt(at);
			JsonNode summary = summary();
			assertThat(summary.get("uncheckedLeads").asLong()).isZero();
			assertThat(summary.get("activeLeads").asLong()).as("active at %s", at)
				.isEqualTo(count("SELECT COUNT(*) FROM lf_lead WHERE status IN ('ACTIVE', 'HANDED_OFF')"));
			assertThat(summary.get("overdue").asLong()).as("overdue at %s", at)
				.isEqualTo(count("SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN' AND due_at < ?", at));
			Instant before = at.minus(90, ChronoUnit.DAYS);
			assertThat(summary.get("untouched90d").asLong()).as("untouched at %s", at)
				.isEqualTo(count("SELECT COUNT(*) FROM lf_lead WHERE status IN ('ACTIVE', 'HANDED_OFF') "
						+ "AND COALESCE(last_touch_at, created_at) < ?", before));
			assertThat(summary.get("inactiveOwners").asLong()).as("inactive owners at %s", at)
				.isEqualTo(count("SELECT COUNT(*) FROM lf_lead l WHERE l.status IN ('ACTIVE', 'HANDED_OFF') AND ("
						+ "EXISTS (SELECT 1 FROM lf_rep r WHERE r.user_id = l.owner AND r.active = FALSE) OR NOT EXISTS "
						+ "(SELECT 1 FROM ACT_ID_MEMBERSHIP m WHERE m.USER_ID_ = l.owner AND m.GROUP_ID_ = 'reps'))"));
			assertThat(summary.get("withoutNextAction").asLong()).as("without next action at %s", at)
				.isEqualTo(audit.compareAll().size());
		}
		assertThat(AuditCounters.differing(counters.stored(), counters.recount())).isEmpty();
		reps.save(other, true, null);
	}

	@Test
	void theConsistencyCheckRepairsWhatTheIncrementalPathMissed() throws Exception {
		String rep = freshRep("trk");
		String id = createLead("NURTURE", rep).get("id").asText();
		summary();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit", true, true);
		// As if the mark had been lost, and a counter had drifted: only the full check can notice.
		jdbc.sql("DELETE FROM lf_audit_dirty WHERE lead_id = ?").param(id).update();
		long shards = countShards(rep);
		assertThat(shards).isPositive();
		jdbc.sql("UPDATE lf_audit_owner_count SET n = n + 5 WHERE owner = ?").param(rep).update();
		// A touch counter of a lead the rep never touched (the KPI touch coverage would count it).
		jdbc.sql("INSERT INTO lf_audit_touch_count (owner, hour_no, shard, n) VALUES (?, 495000, 3, 7)").param(rep).update();
		// A load counter off by four (owner assignment would take the rep for busier than it is).
		assertThat(jdbc.sql("UPDATE lf_audit_assigned_count SET n = n + 4 WHERE owner = ?").param(rep).update()).isEqualTo(1);
		// Calls counted in an hour the rep has none (capacity levelling would take that day for fuller than it is).
		jdbc.sql("INSERT INTO lf_audit_call_count (owner, hour_no, shard, n) VALUES (?, 495000, 0, 3)").param(rep).update();
		long active = summary().get("activeLeads").asLong();
		assertThat(findings(rep)).isEmpty();

		MvcResult result = mvc.perform(post("/api/audit/check").with(manager())).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		JsonNode run = read(result);
		assertThat(run.get("untracked").asLong()).isGreaterThanOrEqualTo(1);
		assertThat(run.get("counterCorrections").asLong()).isGreaterThanOrEqualTo(4);
		assertThat(count("SELECT untracked FROM lf_audit_run WHERE id = ?", run.get("id").asText()))
			.isEqualTo(run.get("untracked").asLong());

		assertThat(finding(rep, id).get("reason").asText()).isEqualTo("PROCESS_ENDED");
		JsonNode summary = summary();
		assertThat(summary.get("activeLeads").asLong()).isEqualTo(active - 5 * shards);
		assertThat(count("SELECT COUNT(*) FROM lf_audit_touch_count WHERE owner = ?", rep)).as("touch rows of %s", rep).isZero();
		assertThat(count("SELECT SUM(n) FROM lf_audit_assigned_count WHERE owner = ?", rep)).as("load of %s", rep)
			.isEqualTo(count("SELECT COUNT(*) FROM lf_next_action WHERE assignee = ? AND status = 'OPEN'", rep));
		assertThat(count("SELECT COUNT(*) FROM lf_audit_call_count WHERE owner = ? AND hour_no = 495000", rep))
			.as("call rows of %s in an hour without calls", rep)
			.isZero();
		assertThat(count("SELECT COALESCE(SUM(n), 0) FROM lf_audit_call_count WHERE owner = ?", rep)).as("calls of %s", rep)
			.isEqualTo(count("SELECT COUNT(*) FROM lf_next_action WHERE assignee = ? AND status = 'OPEN' AND type = 'CALL'", rep));
		assertThat(summary.get("fullCheckAt").isNull()).isFalse();
		assertThat(AuditCounters.differing(counters.stored(), counters.recount())).isEmpty();
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

	List<JsonNode> findings(String owner) throws Exception {
		MvcResult result = mvc.perform(get("/api/audit/no-next-action").param("owner", owner).param("size", "500")
			.with(manager())).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		List<JsonNode> all = new ArrayList<>();
		read(result).get("content").forEach(all::add);
		return all;
	}

	JsonNode finding(String owner, String leadId) throws Exception {
		List<JsonNode> mine = findings(owner).stream().filter(f -> f.get("leadId").asText().equals(leadId)).toList();
		assertThat(mine).as("findings of lead %s", leadId).hasSize(1);
		return mine.get(0);
	}

	void repair(String leadId, String rep) throws Exception {
		MvcResult result = mvc.perform(post("/api/audit/leads/{id}/next-action", leadId).with(manager())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(Map.of("type", "CALL", "dueAt", THURSDAY_14.toString(), "assignee", rep))))
			.andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(204);
	}

	boolean dirty(String leadId) {
		return count("SELECT COUNT(*) FROM lf_audit_dirty WHERE lead_id = ?", leadId) > 0;
	}

	String storedReason(String leadId) {
		return jdbc.sql("SELECT reason FROM lf_audit_finding WHERE lead_id = ?").param(leadId).query(String.class).optional()
			.orElse(null);
	}

	long runs() {
		return count("SELECT COUNT(*) FROM lf_audit_run");
	}

	long countShards(String owner) {
		return count("SELECT COUNT(*) FROM lf_audit_owner_count WHERE owner = ?", owner);
	}

	long count(String sql, Object... params) {
		org.springframework.jdbc.core.simple.JdbcClient.StatementSpec spec = jdbc.sql(sql);
		for (Object param : params) {
			spec = spec.param(param instanceof Instant at ? java.sql.Timestamp.from(at) : param);
		}
		return spec.query(Long.class).single();
	}

	ProcessInstance leadInstance(String leadId) {
		List<ProcessInstance> leads = processesOf(leadId).stream()
			.filter(p -> p.getProcessDefinitionId().startsWith(LeadProcess.KEY + ":"))
			.toList();
		assertThat(leads).hasSize(1);
		return leads.get(0);
	}

	ProcessInstance routeInstance(String leadId) {
		List<ProcessInstance> routes = processesOf(leadId).stream()
			.filter(p -> !p.getProcessDefinitionId().startsWith(LeadProcess.KEY + ":"))
			.toList();
		assertThat(routes).hasSize(1);
		return routes.get(0);
	}

}
