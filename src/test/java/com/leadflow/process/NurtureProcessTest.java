package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.Route;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;

/** One test per path through {@code nurture.bpmn}: new marketing leads, called until a meeting or a close. */
@LeadflowTest
class NurtureProcessTest extends ProcessTestSupport {

	@Test
	void newLeadEntersNurtureWithAFirstCallDueRightAway() {
		Lead lead = submit(Route.NURTURE);

		BpmnAwareTests.assertThat(running(lead, LeadProcess.KEY))
			.hasPassed("StartEvent_LeadReceived", "Gateway_Route")
			.isWaitingAt("CallActivity_Nurture");
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);
		BpmnAwareTests.assertThat(nurture)
			.hasPassed("StartEvent_RouteEntered", "Task_DecideNextAction", "Task_ScheduleNextAction")
			.isWaitingAt("UserTask_WorkNextAction");
		BpmnAwareTests.assertThat(BpmnAwareTests.task(nurture)).isAssignedTo(rep.id());
		NextAction call = assertNext(lead, ActionType.CALL, WEDNESDAY_10_00);
		assertThat(call.assignee()).isEqualTo(rep.id());
		assertThat(call.generated()).isTrue();
		// Overdue by two working days: Friday 10:00.
		assertThat(overdueTimer(lead).getDuedate().toInstant()).isEqualTo(tokyo(2026, 12, 4, 10, 0));
	}

	@Test
	void leadInAnotherTimeZoneIsCalledInItsOwnWorkingHours() {
		// 14:00 in Tokyo is 21:00 of the day before in Los Angeles: the first call waits for LA's morning.
		clockAt(tokyo(2026, 12, 2, 14, 0));
		ZoneId losAngeles = ZoneId.of("America/Los_Angeles");

		Lead lead = submit(Route.NURTURE, null, losAngeles);

		Instant laMorning = LocalDateTime.of(2026, 12, 2, 9, 0).atZone(losAngeles).toInstant();
		assertNext(lead, ActionType.CALL, laMorning);
		assertThat(overdueTimer(lead).getDuedate().toInstant())
			.isEqualTo(LocalDateTime.of(2026, 12, 4, 9, 0).atZone(losAngeles).toInstant());
	}

	@Test
	void callsBeyondTheRepsDailyCapacityMoveToTheNextWorkingDay() {
		reps.save(rep.id(), true, 2);

		Lead first = submit(Route.NURTURE);
		Lead second = submit(Route.NURTURE);
		Lead third = submit(Route.NURTURE);

		assertNext(first, ActionType.CALL, WEDNESDAY_10_00);
		assertNext(second, ActionType.CALL, WEDNESDAY_10_00);
		assertNext(third, ActionType.CALL, tokyo(2026, 12, 3, 9, 0));
		BpmnAwareTests.assertThat(running(third, LeadProcess.NURTURE)).isWaitingAt("UserTask_WorkNextAction");
	}

	@Test
	void nurtureNoAnswerRetriesTheCallTwoDaysLater() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);

		complete(lead, Outcome.NO_ANSWER);

		BpmnAwareTests.assertThat(nurture)
			.hasPassed("Gateway_Outcome", "Gateway_JoinDecide")
			.isWaitingAt("UserTask_WorkNextAction")
			.variables()
			.containsEntry("attempt", 1)
			.containsEntry("lastOutcome", "NO_ANSWER");
		assertNext(lead, ActionType.CALL, tokyo(2026, 12, 4, 10, 0));
	}

	@Test
	void nurtureContactedCallSchedulesContentThenCallAfterTimerFires() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);

		complete(lead, new CompletionRequest(Outcome.CONTACTED, Map.of("budget", "未定"), "興味あり", null, null));

		NextAction content = assertNext(lead, ActionType.CONTENT, tokyo(2026, 12, 9, 10, 0));
		assertThat(content.content()).isEqualTo("case-study");
		BpmnAwareTests.assertThat(nurture).isWaitingAt("EventGateway_ContentAction");
		assertThat(openTasks(lead)).isEmpty();
		Job timer = contentTimer(lead);
		assertThat(timer.getDuedate().toInstant()).isEqualTo(content.dueAt());

		fire(timer);
		assertInvariant(lead.id());

		assertThat(actionRows.findById(content.id()).orElseThrow().outcome()).isEqualTo("SENT");
		assertThat(history(lead)).contains(LeadEventType.CONTENT_SENT);
		BpmnAwareTests.assertThat(nurture)
			.hasPassed("TimerEvent_ContentDue", "Task_SendContent")
			.hasNotPassed("MessageEvent_ContentActionDone")
			.isWaitingAt("UserTask_WorkNextAction");
		// Sent a week after the contact: the follow-up call comes two weeks after the mail.
		assertNext(lead, ActionType.CALL, tokyo(2026, 12, 23, 10, 1));
	}

	@Test
	void contentStepDoneByRepViaMessage() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);
		complete(lead, new CompletionRequest(Outcome.CONTACTED, Map.of("budget", "未定"), null, null, null));
		NextAction content = assertNext(lead, ActionType.CONTENT, tokyo(2026, 12, 9, 10, 0));

		// The rep sends the case study by hand the next day, before its timer.
		clockAt(tokyo(2026, 12, 3, 11, 0));
		complete(lead, Outcome.SENT);

		assertThat(actionRows.findById(content.id()).orElseThrow().completedBy()).isEqualTo(rep.id());
		assertThat(timers(lead, LeadProcess.Elements.TIMER_CONTENT_DUE)).isEmpty();
		BpmnAwareTests.assertThat(nurture)
			.hasPassed("MessageEvent_ContentActionDone")
			.hasNotPassed("TimerEvent_ContentDue", "Task_SendContent")
			.isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2026, 12, 17, 11, 0));
	}

	@Test
	void nurtureMeetingSetEndsTheRouteAndHandsTheLeadToSales() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);
		Instant meetingAt = tokyo(2026, 12, 9, 14, 0);

		setMeeting(lead, meetingAt);

		BpmnAwareTests.assertThat(nurture).hasPassed("EndEvent_MeetingSet").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.HANDED_OFF);
		BpmnAwareTests.assertThat(running(lead, LeadProcess.KEY)).isWaitingAt("CallActivity_SalesHandoff");
		ProcessInstance handoff = running(lead, LeadProcess.SALES_HANDOFF);
		BpmnAwareTests.assertThat(handoff).isWaitingAt("UserTask_HoldMeeting");
		BpmnAwareTests.assertThat(BpmnAwareTests.task(handoff)).hasCandidateGroup("sales").isNotAssigned();
		NextAction meeting = assertNext(lead, ActionType.MEETING, meetingAt);
		assertThat(meeting.candidateGroup()).isEqualTo("sales");
	}

	@Test
	void nurtureDisqualifiedClosesTheLead() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);

		complete(lead, Outcome.DISQUALIFIED);

		BpmnAwareTests.assertThat(nurture).hasPassed("EndEvent_Closed").isEnded();
		BpmnAwareTests.assertThat(leadProcess).hasPassed("EndEvent_RouteClosed", "Task_CloseLead", "EndEvent_LeadClosed").isEnded();
		Lead closed = lead(lead.id());
		assertThat(closed.status()).isEqualTo(LeadStatus.CLOSED);
		assertThat(closed.doNotContact()).isFalse();
	}

	@Test
	void nurtureDoNotContactOutcomeClosesTheLeadForGood() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);

		complete(lead, Outcome.DO_NOT_CONTACT);

		BpmnAwareTests.assertThat(nurture).hasPassed("EndEvent_Closed").isEnded();
		Lead closed = lead(lead.id());
		assertThat(closed.status()).isEqualTo(LeadStatus.CLOSED);
		assertThat(closed.doNotContact()).isTrue();
	}

	@Test
	void overdueActionEscalatesAndTaskStaysOpen() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);
		Task task = BpmnAwareTests.task(nurture);

		fire(overdueTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.ESCALATED);
		BpmnAwareTests.assertThat(nurture)
			.hasPassed("BoundaryEvent_ActionOverdue", "Task_EscalateOverdue", "EndEvent_Escalated")
			.isWaitingAt("UserTask_WorkNextAction");
		assertThat(BpmnAwareTests.task(nurture).getId()).isEqualTo(task.getId());

		// The late rep can still work it.
		complete(lead, Outcome.CONTACTED);
		assertThat(openAction(lead).type()).isEqualTo(ActionType.CONTENT);
	}

	@Test
	void callbackAtTheTimeTheCustomerAskedForIsValidatedAgainstTheCalendar() {
		Lead lead = submit(Route.NURTURE);
		NextAction call = openAction(lead);

		CompletionRequest evening = new CompletionRequest(Outcome.CALLBACK, null, "夜に電話して", null,
				new CompletionRequest.NextStep(ActionType.CALL, tokyo(2026, 12, 3, 20, 0), null));
		assertThatThrownBy(() -> actions.complete(call.id(), evening, rep)).isInstanceOf(InvalidRequestException.class)
			.hasMessageContaining("next.dueAt");
		assertThat(openAction(lead).id()).isEqualTo(call.id());
		assertInvariant(lead.id());

		complete(lead, new CompletionRequest(Outcome.CALLBACK, null, "明日の午後", null,
				new CompletionRequest.NextStep(ActionType.CALL, tokyo(2026, 12, 3, 15, 30), "見積もりの件で折り返し")));

		NextAction callback = assertNext(lead, ActionType.CALL, tokyo(2026, 12, 3, 15, 30));
		assertThat(callback.generated()).isFalse();
		assertThat(callback.note()).isEqualTo("見積もりの件で折り返し");
		assertThat(calendar.isWorkingTime(callback.dueAt(), TOKYO)).isTrue();
		BpmnAwareTests.assertThat(running(lead, LeadProcess.NURTURE))
			.isWaitingAt("UserTask_WorkNextAction")
			.variables()
			.doesNotContainKeys("overrideType", "overrideDueAt", "overrideNote");

		// The generated action after it carries no note of the rep's.
		clockAt(callback.dueAt());
		complete(lead, Outcome.NO_ANSWER);
		assertThat(openAction(lead).note()).isNull();
	}

}
