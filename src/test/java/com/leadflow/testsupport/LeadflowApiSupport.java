package com.leadflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.process.LeadProcess;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.scheduling.RepRepository;
import com.leadflow.security.Groups;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Drives Leadflow through its public API (MockMvc, HTTP Basic, the demo users) for tests that run
 * on H2 and on MySQL alike, and checks the invariant against the projection and the engine.
 * The database and the Spring context are shared with other test classes: every lead gets unique
 * ids and emails, reps are created fresh (and deactivated afterwards so they take no other test's
 * leads), and the engine clock is reset after each test.
 */
public abstract class LeadflowApiSupport {

	public static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	public static final String MARKETING = "marketing";

	public static final String MANAGER = "manager";

	public static final String SALES = "sales1";

	@Autowired
	protected MockMvc mvc;

	@Autowired
	protected ObjectMapper json;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected TaskService taskService;

	@Autowired
	protected RuntimeService runtimeService;

	@Autowired
	protected ManagementService managementService;

	@Autowired
	protected IdentityService identityService;

	@Autowired
	protected RepRepository reps;

	@Autowired
	protected BusinessCalendar calendar;

	private final List<String> freshReps = new ArrayList<>();

	@AfterEach
	void resetClockAndRetireFreshReps() {
		ClockUtil.reset();
		// Fresh reps stay in the reps group; inactive, they never take leads of other tests.
		freshReps.forEach(rep -> reps.save(rep, false, null));
		freshReps.clear();
	}

	// ---------------------------------------------------------------- time

	/** Sets the engine clock (which Leadflow reads) to a local time in Tokyo. */
	protected static Instant clockAt(LocalDateTime tokyoTime) {
		return clockAt(tokyoTime.atZone(TOKYO).toInstant());
	}

	protected static Instant clockAt(Instant at) {
		ClockUtil.setCurrentTime(Date.from(at));
		return at;
	}

	protected static Instant tokyo(int year, int month, int day, int hour, int minute) {
		return LocalDateTime.of(year, month, day, hour, minute).atZone(TOKYO).toInstant();
	}

	// ---------------------------------------------------------------- users

	/** A new user in the reps group (password = id), so no other test's data touches its load. */
	protected String freshRep(String prefix) {
		// The identity service accepts letters and digits only in user ids.
		String id = prefix.replaceAll("[^A-Za-z0-9]", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = identityService.newUser(id);
		user.setFirstName(prefix);
		user.setLastName("Test");
		user.setEmail(id + "@leadflow.example");
		user.setPassword(id);
		identityService.saveUser(user);
		identityService.createMembership(id, Groups.REPS);
		freshReps.add(id);
		return id;
	}

	/** Password of a user: the demo users and fresh reps use their id. */
	protected static String password(String user) {
		return user;
	}

	// ---------------------------------------------------------------- API calls

	protected static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	/** A valid intake body with unique externalId and email; adjust it before posting. */
	protected static Map<String, Object> leadBody(String route, String owner) {
		String key = UUID.randomUUID().toString();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("externalId", "it-" + key);
		body.put("route", route);
		body.put("company", "株式会社テスト " + key.substring(0, 8));
		body.put("contactName", "山田 太郎");
		body.put("email", "lead-" + key + "@example.co.jp");
		body.put("phone", "+81-3-1234-5678");
		body.put("timeZone", "Asia/Tokyo");
		body.put("source", "EXHIBITION");
		if (owner != null) {
			body.put("owner", owner);
		}
		return body;
	}

	protected ResultActions postLead(Map<String, Object> body) throws Exception {
		return mvc.perform(post("/api/leads").with(httpBasic(MARKETING, password(MARKETING)))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body)));
	}

	/** POST /api/leads expecting 201; returns the lead. */
	protected JsonNode createLead(Map<String, Object> body) throws Exception {
		MvcResult result = postLead(body).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(201);
		return read(result);
	}

	protected JsonNode createLead(String route, String owner) throws Exception {
		return createLead(leadBody(route, owner));
	}

	protected ResultActions postComplete(String actionId, String user, Map<String, Object> body) throws Exception {
		return mvc.perform(post("/api/next-actions/{id}/complete", actionId).with(httpBasic(user, password(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body)));
	}

	/** Completes an action expecting 200; returns the lead after it. */
	protected JsonNode complete(String actionId, String user, Map<String, Object> body) throws Exception {
		MvcResult result = postComplete(actionId, user, body).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return read(result).get("lead");
	}

	protected JsonNode complete(String actionId, String user, String outcome) throws Exception {
		return complete(actionId, user, Map.of("outcome", outcome));
	}

	protected static Map<String, Object> callback(Instant dueAt) {
		return Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", dueAt.toString()));
	}

	protected static Map<String, Object> meetingSet(Instant meetingAt) {
		return Map.of("outcome", "MEETING_SET", "meetingAt", meetingAt.toString(), "hearing",
				Map.of("budget", "500万円", "timeline", "来期", "decisionMaker", "部長"));
	}

	protected ResultActions postEvent(String leadId, String user, Map<String, Object> body) throws Exception {
		return mvc.perform(post("/api/leads/{id}/events", leadId).with(httpBasic(user, password(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body)));
	}

	/** POST /api/leads/{id}/events as sales, expecting 200; returns the lead. */
	protected JsonNode event(String leadId, Map<String, Object> body) throws Exception {
		MvcResult result = postEvent(leadId, SALES, body).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return read(result);
	}

	/** GET /api/leads/{id} (with history) as a manager. */
	protected JsonNode lead(String leadId) throws Exception {
		MvcResult result = mvc.perform(get("/api/leads/{id}", leadId).with(httpBasic(MANAGER, password(MANAGER))))
			.andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return read(result);
	}

	/** GET /api/inbox?due=all as the user, every page. */
	protected List<JsonNode> inbox(String user) throws Exception {
		List<JsonNode> items = new ArrayList<>();
		for (int page = 0;; page++) {
			MvcResult result = mvc
				.perform(get("/api/inbox").param("due", "all")
					.param("page", Integer.toString(page))
					.param("size", "500")
					.with(httpBasic(user, password(user))))
				.andReturn();
			assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
			JsonNode pageItems = read(result);
			pageItems.forEach(items::add);
			if (pageItems.size() < 500) {
				return items;
			}
		}
	}

	/** The user's inbox item for the lead; exactly one must be there. */
	protected JsonNode inboxItem(String user, String leadId) throws Exception {
		List<JsonNode> mine = inbox(user).stream().filter(i -> leadId.equals(i.get("leadId").asText())).toList();
		assertThat(mine).as("inbox items of %s for lead %s", user, leadId).hasSize(1);
		return mine.get(0);
	}

	/** The history event types of a lead, oldest first. */
	protected List<String> historyTypes(String leadId) throws Exception {
		List<String> types = new ArrayList<>();
		lead(leadId).get("history").forEach(e -> types.add(e.get("type").asText()));
		return types;
	}

	protected JsonNode read(MvcResult result) throws Exception {
		return json.readTree(result.getResponse().getContentAsByteArray());
	}

	protected static Instant dueAt(JsonNode lead) {
		return Instant.parse(lead.get("nextAction").get("dueAt").asText());
	}

	protected static String actionId(JsonNode lead) {
		return lead.get("nextAction").get("id").asText();
	}

	protected static String actionType(JsonNode lead) {
		return lead.get("nextAction").get("type").asText();
	}

	// ---------------------------------------------------------------- engine

	protected List<ProcessInstance> processesOf(String leadId) {
		return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(leadId).list();
	}

	protected List<Task> openTasksOf(String leadId) {
		return taskService.createTaskQuery().processInstanceBusinessKey(leadId).list();
	}

	/** Timer jobs of the lead's processes at the given BPMN element. */
	protected List<Job> timerJobsOf(String leadId, String activityId) {
		List<Job> jobs = new ArrayList<>();
		for (ProcessInstance instance : processesOf(leadId)) {
			jobs.addAll(managementService.createJobQuery()
				.processInstanceId(instance.getId())
				.activityId(activityId)
				.timers()
				.list());
		}
		return jobs;
	}

	private boolean isDefinition(ProcessInstance instance, String key) {
		return instance.getProcessDefinitionId().startsWith(key + ":");
	}

	protected Map<String, Object> openActionRow(String leadId) {
		List<Map<String, Object>> rows = jdbc
			.sql("SELECT id, type, due_at, task_id, process_instance_id FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'")
			.param(leadId)
			.query()
			.listOfRows();
		assertThat(rows).as("open lf_next_action rows of lead %s", leadId).hasSize(1);
		Map<String, Object> row = new HashMap<>();
		rows.get(0).forEach((k, v) -> row.put(k.toLowerCase(java.util.Locale.ROOT), v));
		return row;
	}

	/**
	 * The invariant, checked from the API, the projection and the engine: a non-terminal lead has
	 * exactly one OPEN row in lf_next_action, the same action as its API nextAction, and exactly
	 * one open engine task for it (or, for a content step, one content timer job and no task), due
	 * at the action's due time, which lies inside the business calendar of the lead's time zone.
	 * A terminal lead has no open row, no task, no timer and no nextAction. Returns the lead.
	 */
	protected JsonNode assertInvariant(String leadId) throws Exception {
		JsonNode lead = lead(leadId);
		String status = lead.get("status").asText();
		long openRows = jdbc.sql("SELECT COUNT(*) FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'")
			.param(leadId)
			.query(Long.class)
			.single();
		List<Task> tasks = openTasksOf(leadId);
		List<Job> contentTimers = timerJobsOf(leadId, LeadProcess.Elements.TIMER_CONTENT_DUE);
		List<Job> overdueTimers = timerJobsOf(leadId, LeadProcess.Elements.BOUNDARY_ACTION_OVERDUE);
		List<ProcessInstance> processes = processesOf(leadId);
		if (status.equals("OPPORTUNITY") || status.equals("CLOSED")) {
			assertThat(openRows).as("open actions of terminal lead %s", leadId).isZero();
			assertThat(tasks).as("open tasks of terminal lead %s", leadId).isEmpty();
			assertThat(contentTimers).as("content timers of terminal lead %s", leadId).isEmpty();
			assertThat(overdueTimers).as("overdue timers of terminal lead %s", leadId).isEmpty();
			assertThat(processes).as("running processes of terminal lead %s", leadId).isEmpty();
			assertThat(lead.get("nextAction").isNull()).as("nextAction of terminal lead %s", leadId).isTrue();
			return lead;
		}
		assertThat(processes.stream().filter(p -> isDefinition(p, LeadProcess.KEY)))
			.as("lead processes of lead %s", leadId)
			.hasSize(1);
		assertThat(processes.stream()
			.filter(p -> List.of(LeadProcess.NURTURE, LeadProcess.UPSELL, LeadProcess.RECYCLE, LeadProcess.OUTBOUND)
				.stream()
				.anyMatch(key -> isDefinition(p, key))))
			.as("route processes of lead %s", leadId)
			.hasSizeLessThanOrEqualTo(1);
		assertThat(overdueTimers).as("overdue timers of lead %s", leadId).hasSizeLessThanOrEqualTo(1);
		assertThat(openRows).as("open actions of %s lead %s", status, leadId).isEqualTo(1);
		assertThat(lead.get("nextAction").isNull()).as("nextAction of %s lead %s", status, leadId).isFalse();
		Map<String, Object> row = openActionRow(leadId);
		assertThat(row.get("id")).isEqualTo(actionId(lead));
		Instant due = dueAt(lead);
		if (actionType(lead).equals("CONTENT")) {
			assertThat(overdueTimers).as("overdue timers of lead %s whose next action is a content step", leadId).isEmpty();
			assertThat(tasks).as("open tasks of lead %s whose next action is a content step", leadId).isEmpty();
			assertThat(contentTimers).as("content timers of lead %s", leadId).hasSize(1);
			assertThat(contentTimers.get(0).getDuedate().toInstant()).isEqualTo(due);
		}
		else {
			assertThat(tasks).as("open tasks of lead %s", leadId).hasSize(1);
			assertThat(contentTimers).as("content timers of lead %s", leadId).isEmpty();
			assertThat(tasks.get(0).getId()).isEqualTo(row.get("task_id"));
			assertThat(tasks.get(0).getDueDate().toInstant()).isEqualTo(due);
		}
		ZoneId zone = ZoneId.of(lead.get("timeZone").asText());
		assertThat(calendar.isWorkingTime(due, zone))
			.as("due %s (%s) of lead %s is inside the business calendar", due, due.atZone(zone), leadId)
			.isTrue();
		return lead;
	}

}
