package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.Route;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;

/** One test per path through {@code upsell.bpmn}: existing customers, called periodically to hear new needs. */
@LeadflowTest
class UpsellProcessTest extends ProcessTestSupport {

	@Test
	void upsellLeadGetsACheckInCallRightAway() {
		Lead lead = submit(Route.UPSELL);

		BpmnAwareTests.assertThat(running(lead, LeadProcess.KEY)).isWaitingAt("CallActivity_Upsell");
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);
		BpmnAwareTests.assertThat(upsell)
			.hasPassed("StartEvent_RouteEntered", "Task_DecideNextAction", "Task_ScheduleNextAction")
			.isWaitingAt("UserTask_WorkNextAction");
		BpmnAwareTests.assertThat(BpmnAwareTests.task(upsell)).isAssignedTo(rep.id());
		assertNext(lead, ActionType.CALL, WEDNESDAY_10_00);
	}

	@Test
	void upsellContactedPlansTheNextCheckInAtTheNinetyDayTouchInterval() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);

		complete(lead, Outcome.CONTACTED);

		BpmnAwareTests.assertThat(upsell).hasPassed("Gateway_JoinDecide").isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2027, 3, 2, 10, 0));
	}

	@Test
	void upsellNoAnswerRetriesOnTheNextWorkingDayAfterThreeDays() {
		Lead lead = submit(Route.UPSELL);

		complete(lead, Outcome.NO_ANSWER);

		// Wednesday + 3 days is a Saturday: the retry moves to Monday's first working hour.
		assertNext(lead, ActionType.CALL, tokyo(2026, 12, 7, 9, 0));
	}

	@Test
	void upsellMeetingSetHandsOffToSales() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);
		Instant meetingAt = tokyo(2026, 12, 10, 15, 0);

		setMeeting(lead, meetingAt);

		BpmnAwareTests.assertThat(upsell).hasPassed("EndEvent_MeetingSet").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.HANDED_OFF);
		BpmnAwareTests.assertThat(running(lead, LeadProcess.SALES_HANDOFF)).isWaitingAt("UserTask_HoldMeeting");
		assertNext(lead, ActionType.MEETING, meetingAt);
	}

	@Test
	void upsellDisqualifiedClosesTheLead() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);

		complete(lead, Outcome.DISQUALIFIED);

		BpmnAwareTests.assertThat(upsell).hasPassed("EndEvent_Closed").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.CLOSED);
	}

	@Test
	void upsellRepChoosesAContentStepThatIsSentWhenItsTimerFires() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);
		Instant chosen = tokyo(2026, 12, 10, 11, 0);

		complete(lead, new CompletionRequest(Outcome.CONTACTED, null, "事例を送ってほしい", null,
				new CompletionRequest.NextStep(ActionType.CONTENT, chosen, "製造業の導入事例")));

		NextAction content = assertNext(lead, ActionType.CONTENT, chosen);
		assertThat(content.generated()).isFalse();
		assertThat(content.note()).isEqualTo("製造業の導入事例");
		BpmnAwareTests.assertThat(upsell).isWaitingAt("EventGateway_ContentAction");

		fire(contentTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.CONTENT_SENT);
		BpmnAwareTests.assertThat(upsell)
			.hasPassed("TimerEvent_ContentDue", "Task_SendContent")
			.isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2027, 3, 10, 11, 1));
	}

	@Test
	void upsellContentStepDoneByRepViaMessage() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);
		complete(lead, new CompletionRequest(Outcome.CONTACTED, null, null, null,
				new CompletionRequest.NextStep(ActionType.CONTENT, tokyo(2026, 12, 10, 11, 0), null)));

		clockAt(tokyo(2026, 12, 4, 16, 0));
		complete(lead, Outcome.SENT);

		assertThat(timers(lead, LeadProcess.Elements.TIMER_CONTENT_DUE)).isEmpty();
		BpmnAwareTests.assertThat(upsell)
			.hasPassed("MessageEvent_ContentActionDone")
			.hasNotPassed("Task_SendContent")
			.isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2027, 3, 4, 16, 0));
	}

	@Test
	void upsellOverdueActionEscalatesAndTaskStaysOpen() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance upsell = running(lead, LeadProcess.UPSELL);
		String taskId = BpmnAwareTests.task(upsell).getId();

		fire(overdueTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.ESCALATED);
		BpmnAwareTests.assertThat(upsell)
			.hasPassed("Task_EscalateOverdue", "EndEvent_Escalated")
			.isWaitingAt("UserTask_WorkNextAction");
		assertThat(BpmnAwareTests.task(upsell).getId()).isEqualTo(taskId);
	}

}
