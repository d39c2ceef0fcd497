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

/** One test per path through {@code outbound.bpmn}: cold leads, a few quick calls, an email, then park. */
@LeadflowTest
class OutboundProcessTest extends ProcessTestSupport {

	@Test
	void outboundLeadGetsAFirstCallRightAway() {
		Lead lead = submit(Route.OUTBOUND);

		BpmnAwareTests.assertThat(running(lead, LeadProcess.KEY)).isWaitingAt("CallActivity_Outbound");
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);
		BpmnAwareTests.assertThat(outbound)
			.hasPassed("StartEvent_RouteEntered", "Task_DecideNextAction", "Gateway_ParkOrAct", "Task_ScheduleNextAction")
			.isWaitingAt("UserTask_WorkNextAction");
		BpmnAwareTests.assertThat(BpmnAwareTests.task(outbound)).isAssignedTo(rep.id());
		assertNext(lead, ActionType.CALL, WEDNESDAY_10_00);
	}

	@Test
	void outboundThreeNoAnswersThenEmailThenParksIntoRecycle() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);

		complete(lead, Outcome.NO_ANSWER);
		clockAt(assertNext(lead, ActionType.CALL, tokyo(2026, 12, 3, 10, 0)).dueAt());
		complete(lead, Outcome.NO_ANSWER);
		clockAt(assertNext(lead, ActionType.CALL, tokyo(2026, 12, 4, 10, 0)).dueAt());
		complete(lead, Outcome.NO_ANSWER);
		NextAction email = assertNext(lead, ActionType.EMAIL, tokyo(2026, 12, 4, 10, 0));
		assertThat(email.content()).isEqualTo("follow-up");
		BpmnAwareTests.assertThat(outbound).variables().containsEntry("attempt", 3);

		complete(lead, Outcome.SENT);

		BpmnAwareTests.assertThat(outbound).hasPassed("EndEvent_Parked").hasNotPassed("EndEvent_Closed").isEnded();
		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("Task_ParkIntoRecycle", "Gateway_JoinRoute")
			.isWaitingAt("CallActivity_Recycle");
		BpmnAwareTests.assertThat(running(lead, LeadProcess.RECYCLE))
			.hasPassed("Task_DecideRevisit")
			.isWaitingAt("UserTask_WorkNextAction");
		Lead parked = lead(lead.id());
		assertThat(parked.route()).isEqualTo(Route.RECYCLE);
		assertThat(parked.lossReason()).isEqualTo("PARKED");
		assertThat(parked.status()).isEqualTo(LeadStatus.ACTIVE);
		assertThat(history(lead)).contains(LeadEventType.ROUTE_CHANGED);
		// Parked leads are revisited after a quarter.
		assertNext(lead, ActionType.CALL, tokyo(2027, 3, 4, 10, 0));
	}

	@Test
	void outboundMeetingSetHandsOffToSales() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);
		Instant meetingAt = tokyo(2026, 12, 8, 10, 30);

		setMeeting(lead, meetingAt);

		BpmnAwareTests.assertThat(outbound).hasPassed("EndEvent_MeetingSet").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.HANDED_OFF);
		BpmnAwareTests.assertThat(running(lead, LeadProcess.SALES_HANDOFF)).isWaitingAt("UserTask_HoldMeeting");
		assertNext(lead, ActionType.MEETING, meetingAt);
	}

	@Test
	void outboundDisqualifiedClosesTheLead() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);

		complete(lead, Outcome.DISQUALIFIED);

		BpmnAwareTests.assertThat(outbound).hasPassed("EndEvent_Closed").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.CLOSED);
	}

	@Test
	void outboundRepChoosesAContentStepThatIsSentWhenItsTimerFiresThenParks() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);
		Instant chosen = tokyo(2026, 12, 7, 9, 30);

		complete(lead, new CompletionRequest(Outcome.CONTACTED, null, null, null,
				new CompletionRequest.NextStep(ActionType.CONTENT, chosen, null)));
		assertNext(lead, ActionType.CONTENT, chosen);
		BpmnAwareTests.assertThat(outbound).isWaitingAt("EventGateway_ContentAction");

		fire(contentTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.CONTENT_SENT);
		BpmnAwareTests.assertThat(outbound).hasPassed("TimerEvent_ContentDue", "Task_SendContent", "EndEvent_Parked").isEnded();
		assertThat(lead(lead.id()).route()).isEqualTo(Route.RECYCLE);
		BpmnAwareTests.assertThat(running(lead, LeadProcess.RECYCLE)).isWaitingAt("UserTask_WorkNextAction");
	}

	@Test
	void outboundContentStepDoneByRepViaMessage() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);
		complete(lead, new CompletionRequest(Outcome.CONTACTED, null, null, null,
				new CompletionRequest.NextStep(ActionType.CONTENT, tokyo(2026, 12, 7, 9, 30), null)));

		// Replying to the mail the rep sent by hand, the contact asks never to be contacted again.
		clockAt(tokyo(2026, 12, 3, 10, 0));
		complete(lead, Outcome.DO_NOT_CONTACT);

		BpmnAwareTests.assertThat(outbound)
			.hasPassed("MessageEvent_ContentActionDone", "EndEvent_Closed")
			.hasNotPassed("Task_SendContent")
			.isEnded();
		Lead closed = lead(lead.id());
		assertThat(closed.status()).isEqualTo(LeadStatus.CLOSED);
		assertThat(closed.doNotContact()).isTrue();
	}

	@Test
	void outboundOverdueActionEscalatesAndTaskStaysOpen() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance outbound = running(lead, LeadProcess.OUTBOUND);
		String taskId = BpmnAwareTests.task(outbound).getId();

		fire(overdueTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.ESCALATED);
		BpmnAwareTests.assertThat(outbound)
			.hasPassed("Task_EscalateOverdue", "EndEvent_Escalated")
			.isWaitingAt("UserTask_WorkNextAction");
		assertThat(BpmnAwareTests.task(outbound).getId()).isEqualTo(taskId);
	}

}
