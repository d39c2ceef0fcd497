package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;

/** One test per path through {@code recycle.bpmn}: lost deals, revisited when their loss reason says so. */
@LeadflowTest
class RecycleProcessTest extends ProcessTestSupport {

	/** A pending decision is revisited a month later: 2 January 2027 is a Saturday, so Monday 09:00. */
	static final Instant PENDING_REVISIT = tokyo(2027, 1, 4, 9, 0);

	@Test
	void lostToACompetitorIsRevisitedHalfAYearLater() {
		Lead lead = submit(Route.RECYCLE, LossReason.COMPETITOR);

		BpmnAwareTests.assertThat(running(lead, LeadProcess.KEY)).isWaitingAt("CallActivity_Recycle");
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);
		BpmnAwareTests.assertThat(recycle)
			.hasPassed("StartEvent_RouteEntered", "Task_DecideRevisit", "Task_ScheduleNextAction")
			.hasNotPassed("Task_DecideNextAction")
			.isWaitingAt("UserTask_WorkNextAction");
		NextAction revisit = assertNext(lead, ActionType.CALL, tokyo(2027, 6, 2, 10, 0));
		assertThat(revisit.assignee()).isEqualTo(rep.id());
	}

	@Test
	void pendingDecisionIsRevisitedAMonthLaterOnAWorkingDay() {
		Lead lead = submit(Route.RECYCLE, LossReason.PENDING);

		assertNext(lead, ActionType.CALL, PENDING_REVISIT);
	}

	@Test
	void recycleNoAnswerRetriesTheRevisitCall() {
		Lead lead = revisitDue();
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);

		complete(lead, Outcome.NO_ANSWER);

		BpmnAwareTests.assertThat(recycle).hasPassed("Task_DecideNextAction").isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2027, 1, 7, 9, 0));
	}

	@Test
	void recycleContactedSendsACaseStudyWhenItsTimerFires() {
		Lead lead = revisitDue();
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);

		complete(lead, new CompletionRequest(Outcome.CONTACTED, Map.of("competitor", "他社製品に不満"), null, null, null));

		NextAction content = assertNext(lead, ActionType.CONTENT, tokyo(2027, 1, 18, 9, 0));
		assertThat(content.content()).isEqualTo("case-study");
		BpmnAwareTests.assertThat(recycle).isWaitingAt("EventGateway_ContentAction");

		fire(contentTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.CONTENT_SENT);
		BpmnAwareTests.assertThat(recycle)
			.hasPassed("TimerEvent_ContentDue", "Task_SendContent")
			.isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2027, 2, 17, 9, 1));
	}

	@Test
	void recycleContentStepDoneByRepViaMessage() {
		Lead lead = revisitDue();
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);
		complete(lead, Outcome.CONTACTED);

		clockAt(tokyo(2027, 1, 5, 11, 0));
		complete(lead, Outcome.SENT);

		assertThat(timers(lead, LeadProcess.Elements.TIMER_CONTENT_DUE)).isEmpty();
		BpmnAwareTests.assertThat(recycle)
			.hasPassed("MessageEvent_ContentActionDone")
			.hasNotPassed("Task_SendContent")
			.isWaitingAt("UserTask_WorkNextAction");
		assertNext(lead, ActionType.CALL, tokyo(2027, 2, 4, 11, 0));
	}

	@Test
	void recycleMeetingSetHandsOffToSales() {
		Lead lead = revisitDue();
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);
		Instant meetingAt = tokyo(2027, 1, 12, 13, 0);

		setMeeting(lead, meetingAt);

		BpmnAwareTests.assertThat(recycle).hasPassed("EndEvent_MeetingSet").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.HANDED_OFF);
		BpmnAwareTests.assertThat(running(lead, LeadProcess.SALES_HANDOFF)).isWaitingAt("UserTask_HoldMeeting");
		assertNext(lead, ActionType.MEETING, meetingAt);
	}

	@Test
	void recycleDisqualifiedClosesTheLead() {
		Lead lead = revisitDue();
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);

		complete(lead, Outcome.DISQUALIFIED);

		BpmnAwareTests.assertThat(recycle).hasPassed("EndEvent_Closed").isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.CLOSED);
	}

	@Test
	void recycleOverdueActionEscalatesAndTaskStaysOpen() {
		Lead lead = submit(Route.RECYCLE, LossReason.PENDING);
		ProcessInstance recycle = running(lead, LeadProcess.RECYCLE);
		String taskId = BpmnAwareTests.task(recycle).getId();
		// Two working days after the revisit date.
		assertThat(overdueTimer(lead).getDuedate().toInstant()).isEqualTo(tokyo(2027, 1, 6, 9, 0));

		fire(overdueTimer(lead));
		assertInvariant(lead.id());

		assertThat(history(lead)).contains(LeadEventType.ESCALATED);
		BpmnAwareTests.assertThat(recycle)
			.hasPassed("Task_EscalateOverdue", "EndEvent_Escalated")
			.isWaitingAt("UserTask_WorkNextAction");
		assertThat(BpmnAwareTests.task(recycle).getId()).isEqualTo(taskId);
	}

	/** A pending deal, and the clock at its revisit call. */
	private Lead revisitDue() {
		Lead lead = submit(Route.RECYCLE, LossReason.PENDING);
		assertNext(lead, ActionType.CALL, PENDING_REVISIT);
		clockAt(PENDING_REVISIT);
		return lead;
	}

}
