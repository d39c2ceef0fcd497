package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.leadflow.actions.ActionStatus;
import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.actions.NextActionService;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEvent;
import com.leadflow.leads.LeadEventRequest;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.LeadMoves;
import com.leadflow.leads.LeadRepository;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.process.LeadProcess.Elements;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.scheduling.RepRepository;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.ProcessCoverageTestConfiguration;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.community.process_test_coverage.spring_test.platform7.ProcessEngineCoverageTestExecutionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestExecutionListeners;

/**
 * Drives leads through the processes the way the application does (intake, completing next
 * actions, moves reported by sales, timers fired by moving the engine clock) and checks the
 * invariant after each step. The Spring context and the database are shared with other test
 * classes: every lead is new, every test has a rep of its own (capacity!), retired afterwards.
 */
@TestExecutionListeners(listeners = ProcessEngineCoverageTestExecutionListener.class,
		mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
abstract class ProcessTestSupport {

	static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	/** Wednesday 2 December 2026, 10:00 in Tokyo: a plain working day. */
	static final Instant WEDNESDAY_10_00 = tokyo(2026, 12, 2, 10, 0);

	static final CurrentUser SALES = new CurrentUser("sales1", Set.of(Groups.SALES));

	@Autowired
	ProcessEngine processEngine;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	TaskService taskService;

	@Autowired
	ManagementService managementService;

	@Autowired
	IdentityService identityService;

	@Autowired
	LeadIntakeService intake;

	@Autowired
	NextActionService actions;

	@Autowired
	NextActionRepository actionRows;

	@Autowired
	LeadMoves moves;

	@Autowired
	LeadRepository leads;

	@Autowired
	LeadEvents events;

	@Autowired
	RepRepository reps;

	@Autowired
	BusinessCalendar calendar;

	@Autowired
	JdbcClient jdbc;

	/** The rep who owns this test's leads. */
	CurrentUser rep;

	@BeforeEach
	void startOnAWorkingDayWithAFreshRep() {
		BpmnAwareTests.init(processEngine);
		clockAt(WEDNESDAY_10_00);
		String id = "ptrep" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		User user = identityService.newUser(id);
		user.setFirstName("Process");
		user.setLastName("Test");
		identityService.saveUser(user);
		identityService.createMembership(id, Groups.REPS);
		rep = new CurrentUser(id, Set.of(Groups.REPS));
	}

	@AfterEach
	void resetClockAndRetireTheRep() {
		ClockUtil.reset();
		if (rep != null) {
			// Inactive reps are never picked as owner of another test's leads.
			reps.save(rep.id(), false, null);
		}
	}

	@AfterAll
	static void stopRecordingCoverage(@Autowired ProcessEngine processEngine) {
		ProcessCoverageTestConfiguration.dropEvents(processEngine);
	}

	static Instant tokyo(int year, int month, int day, int hour, int minute) {
		return LocalDateTime.of(year, month, day, hour, minute).atZone(TOKYO).toInstant();
	}

	static Instant clockAt(Instant at) {
		ClockUtil.setCurrentTime(Date.from(at));
		return at;
	}

	// --- driving the lead the way the application does

	Lead submit(Route route) {
		return submit(route, null);
	}

	Lead submit(Route route, LossReason lossReason) {
		return submit(route, lossReason, TOKYO);
	}

	Lead submit(Route route, LossReason lossReason, ZoneId zone) {
		String key = UUID.randomUUID().toString();
		LeadIntakeService.Result result = intake.submit(new LeadIntakeRequest("pt-" + key, route, "株式会社リードフロー試験",
				"山田 太郎", "pt-" + key + "@example.com", "03-1234-5678", zone.getId(), "web", rep.id(), null, lossReason),
				"marketing");
		assertThat(result.created()).isTrue();
		assertInvariant(result.leadId());
		return lead(result.leadId());
	}

	/** The rep completes the lead's open action; the process plans the next one in the same transaction. */
	NextAction complete(Lead lead, Outcome outcome) {
		return complete(lead, new CompletionRequest(outcome, null, null, null, null));
	}

	NextAction complete(Lead lead, CompletionRequest request) {
		return completeAs(rep, lead, request);
	}

	NextAction completeAs(CurrentUser user, Lead lead, CompletionRequest request) {
		NextAction action = openAction(lead);
		actions.complete(action.id(), request, user);
		NextAction done = actionRows.findById(action.id()).orElseThrow();
		assertThat(done.status()).isEqualTo(ActionStatus.DONE);
		assertThat(done.outcome()).isEqualTo(request.outcome().name());
		assertInvariant(lead.id());
		return done;
	}

	NextAction setMeeting(Lead lead, Instant meetingAt) {
		return complete(lead, new CompletionRequest(Outcome.MEETING_SET, Map.of("need", "来期の基幹刷新"), null, meetingAt, null));
	}

	void dealLost(Lead lead, LossReason reason) {
		moves.apply(lead.id(), new LeadEventRequest(LeadEventRequest.Kind.DEAL_LOST, reason, "lost to a rival"), "sales1");
		assertInvariant(lead.id());
	}

	void doNotContact(Lead lead) {
		moves.apply(lead.id(), new LeadEventRequest(LeadEventRequest.Kind.DO_NOT_CONTACT, null, "asked us to stop"),
				"manager");
		assertInvariant(lead.id());
	}

	/** Moves the clock past the timer's due date and runs its job, as the job executor would. */
	void fire(Job timer) {
		clockAt(timer.getDuedate().toInstant().plusSeconds(60));
		managementService.executeJob(timer.getId());
	}

	// --- reading the lead's state

	Lead lead(String id) {
		return leads.findById(id).orElseThrow();
	}

	NextAction openAction(Lead lead) {
		return actionRows.findOpenByLead(lead.id()).orElseThrow(() -> new AssertionError("no open action for " + lead.id()));
	}

	List<LeadEventType> history(Lead lead) {
		return events.history(lead.id()).stream().map(LeadEvent::type).toList();
	}

	/** The lead's running instance of a process (keep it to assert on it after it ended). */
	ProcessInstance running(Lead lead, String processKey) {
		ProcessInstance instance = runtimeService.createProcessInstanceQuery()
			.processDefinitionKey(processKey)
			.processInstanceBusinessKey(lead.id())
			.singleResult();
		assertThat(instance).as("running %s process of lead %s", processKey, lead.id()).isNotNull();
		return instance;
	}

	List<ProcessInstance> runningProcesses(Lead lead) {
		return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(lead.id()).list();
	}

	List<Task> openTasks(Lead lead) {
		return taskService.createTaskQuery().processInstanceBusinessKey(lead.id()).list();
	}

	List<Job> timers(Lead lead, String activityId) {
		List<Job> found = new ArrayList<>();
		for (ProcessInstance instance : runningProcesses(lead)) {
			found.addAll(managementService.createJobQuery().processInstanceId(instance.getId()).activityId(activityId).list());
		}
		return found;
	}

	Job contentTimer(Lead lead) {
		List<Job> found = timers(lead, Elements.TIMER_CONTENT_DUE);
		assertThat(found).hasSize(1);
		return found.get(0);
	}

	Job overdueTimer(Lead lead) {
		List<Job> found = timers(lead, Elements.BOUNDARY_ACTION_OVERDUE);
		assertThat(found).hasSize(1);
		return found.get(0);
	}

	/** Asserts the lead's open action: its type, due time and (for generated ones) that it follows the calendar. */
	NextAction assertNext(Lead lead, ActionType type, Instant due) {
		NextAction action = openAction(lead);
		assertThat(action.type()).as("type of the next action").isEqualTo(type);
		assertThat(action.dueAt()).as("due time of the next %s", type).isEqualTo(due);
		return action;
	}

	/**
	 * The invariant: a lead that is not terminal has exactly one open action in the projection and,
	 * behind it, exactly one open engine task or one content timer; a generated due time lies in
	 * the lead's working hours. A terminal lead has neither, and no running process.
	 */
	void assertInvariant(String leadId) {
		Lead lead = lead(leadId);
		List<NextAction> open = jdbc.sql("SELECT * FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'")
			.param(leadId)
			.query((rs, row) -> new NextAction(rs.getString("id"), rs.getString("lead_id"),
					ActionType.valueOf(rs.getString("type")), ActionStatus.valueOf(rs.getString("status")),
					rs.getTimestamp("due_at").toInstant(), rs.getString("assignee"), rs.getString("candidate_group"),
					rs.getString("content"), rs.getString("note"), rs.getBoolean("is_generated"),
					rs.getString("process_instance_id"), rs.getString("task_id"), null, null, null, rs.getString("outcome")))
			.list();
		List<Task> tasks = openTasks(lead);
		List<Job> contentTimers = timers(lead, Elements.TIMER_CONTENT_DUE);
		if (lead.status().isTerminal()) {
			assertThat(open).as("open actions of %s lead %s", lead.status(), leadId).isEmpty();
			assertThat(tasks).as("open tasks of %s lead %s", lead.status(), leadId).isEmpty();
			assertThat(runningProcesses(lead)).as("running processes of %s lead %s", lead.status(), leadId).isEmpty();
			return;
		}
		assertThat(open).as("open actions of lead %s", leadId).hasSize(1);
		NextAction action = open.get(0);
		assertThat(tasks.size() + contentTimers.size()).as("open tasks plus content timers of lead %s", leadId).isEqualTo(1);
		if (action.type() == ActionType.CONTENT) {
			assertThat(contentTimers).as("content timer of lead %s", leadId).hasSize(1);
			assertThat(contentTimers.get(0).getDuedate().toInstant()).isEqualTo(action.dueAt());
		}
		else {
			assertThat(tasks).as("open task of lead %s", leadId).hasSize(1);
			Task task = tasks.get(0);
			assertThat(task.getId()).as("task behind action %s", action.id()).isEqualTo(action.taskId());
			assertThat(task.getDueDate().toInstant()).isEqualTo(action.dueAt());
			assertThat(task.getAssignee()).isEqualTo(action.type() == ActionType.MEETING ? null : action.assignee());
		}
		if (action.generated()) {
			assertThat(calendar.isWorkingTime(action.dueAt(), lead.zone()))
				.as("%s due %s is inside the business calendar (%s)", action.type(), action.dueAt(), lead.zone())
				.isTrue();
		}
	}

}
