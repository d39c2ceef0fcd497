package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.leadflow.actions.ActionStatus;
import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.common.ConflictException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventRequest;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;

/**
 * One test per path through {@code lead.bpmn}: the long-running process of a lead, which runs its
 * route, hands it off, loops back, and ends on a terminal state; sales' moves interrupt it.
 */
@LeadflowTest
class LeadProcessTest extends ProcessTestSupport {

	static final Instant MEETING_AT = tokyo(2026, 12, 9, 14, 0);

	@Test
	void nurtureLeadIsWorkedOnTheNurtureRoute() {
		assertRouteStarted(submit(Route.NURTURE), "CallActivity_Nurture", LeadProcess.NURTURE);
	}

	@Test
	void upsellLeadIsWorkedOnTheUpsellRoute() {
		assertRouteStarted(submit(Route.UPSELL), "CallActivity_Upsell", LeadProcess.UPSELL);
	}

	@Test
	void recycleLeadIsWorkedOnTheRecycleRoute() {
		assertRouteStarted(submit(Route.RECYCLE, LossReason.MISMATCH), "CallActivity_Recycle", LeadProcess.RECYCLE);
	}

	@Test
	void outboundLeadIsWorkedOnTheOutboundRoute() {
		assertRouteStarted(submit(Route.OUTBOUND), "CallActivity_Outbound", LeadProcess.OUTBOUND);
	}

	@Test
	void meetingSetHandsOffAndAnOpportunityEndsTheLead() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);

		setMeeting(lead, MEETING_AT);
		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("Gateway_JoinRouteResult", "Gateway_RouteResult")
			.isWaitingAt("CallActivity_SalesHandoff");
		completeAs(SALES, lead, new CompletionRequest(Outcome.OPPORTUNITY, null, null, null, null));

		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("Gateway_MeetingOutcome", "EndEvent_OpportunityReached", "Task_MarkOpportunity", "EndEvent_Opportunity")
			.hasNotPassed("Task_CloseLead")
			.isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.OPPORTUNITY);
	}

	@Test
	void meetingWithoutOpportunityReturnsTheLeadToNurture() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		setMeeting(lead, MEETING_AT);
		clockAt(tokyo(2026, 12, 9, 15, 0));

		completeAs(SALES, lead, new CompletionRequest(Outcome.NO_OPPORTUNITY, null, null, null, null));

		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("Task_ReturnToNurture", "Gateway_JoinRoute")
			.isWaitingAt("CallActivity_Nurture");
		BpmnAwareTests.assertThat(running(lead, LeadProcess.NURTURE)).isWaitingAt("UserTask_WorkNextAction");
		Lead back = lead(lead.id());
		assertThat(back.route()).isEqualTo(Route.NURTURE);
		assertThat(back.status()).isEqualTo(LeadStatus.ACTIVE);
		assertNext(lead, ActionType.CALL, tokyo(2027, 1, 8, 15, 0));
	}

	@Test
	void parkedOutboundLeadReentersOnTheRecycleRoute() {
		Lead lead = submit(Route.OUTBOUND);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);

		// Not interested on a cold call: the outbound cadence parks the lead.
		complete(lead, Outcome.NOT_INTERESTED);

		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("CallActivity_Outbound", "Task_ParkIntoRecycle")
			.isWaitingAt("CallActivity_Recycle");
		assertThat(lead(lead.id()).route()).isEqualTo(Route.RECYCLE);
		assertNext(lead, ActionType.CALL, tokyo(2027, 3, 2, 10, 0));
	}

	@Test
	void closedRouteClosesTheLead() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);

		complete(lead, Outcome.DISQUALIFIED);

		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("EndEvent_RouteClosed", "Gateway_LeadResult", "Gateway_JoinClosed", "Task_CloseLead", "EndEvent_LeadClosed")
			.hasNotPassed("Task_MarkOpportunity")
			.isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.CLOSED);
		assertThat(history(lead)).contains(LeadEventType.CLOSED);
	}

	@Test
	void dealLostInterruptsTheRouteAndRecyclesTheLead() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		ProcessInstance nurture = running(lead, LeadProcess.NURTURE);
		NextAction call = openAction(lead);

		dealLost(lead, LossReason.MISMATCH);

		assertThat(actionRows.findById(call.id()).orElseThrow().status()).isEqualTo(ActionStatus.CANCELLED);
		BpmnAwareTests.assertThat(nurture).isEnded();
		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("BoundaryEvent_DealLost", "Task_MoveToRecycle", "Gateway_JoinRouteScope")
			.isWaitingAt("CallActivity_Recycle");
		Lead recycled = lead(lead.id());
		assertThat(recycled.route()).isEqualTo(Route.RECYCLE);
		assertThat(recycled.lossReason()).isEqualTo("MISMATCH");
		// A mismatch is revisited after a quarter.
		assertNext(lead, ActionType.CALL, tokyo(2027, 3, 2, 10, 0));
	}

	@Test
	void dealLostDuringHandoffInterruptsMeetingAndRecycles() {
		Lead lead = submit(Route.NURTURE);
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		setMeeting(lead, MEETING_AT);
		ProcessInstance handoff = running(lead, LeadProcess.SALES_HANDOFF);
		NextAction meeting = openAction(lead);

		dealLost(lead, LossReason.COMPETITOR);

		assertThat(actionRows.findById(meeting.id()).orElseThrow().status()).isEqualTo(ActionStatus.CANCELLED);
		BpmnAwareTests.assertThat(handoff).hasNotPassed("Gateway_MeetingOutcome").isEnded();
		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("BoundaryEvent_DealLost", "Task_MoveToRecycle")
			.isWaitingAt("CallActivity_Recycle");
		Lead recycled = lead(lead.id());
		assertThat(recycled.status()).isEqualTo(LeadStatus.ACTIVE);
		assertThat(recycled.route()).isEqualTo(Route.RECYCLE);
		assertNext(lead, ActionType.CALL, tokyo(2027, 6, 2, 10, 0));
	}

	@Test
	void dealLostAfterOpportunityStartsTheLeadOverOnRecycle() {
		Lead lead = submit(Route.UPSELL);
		ProcessInstance first = running(lead, LeadProcess.KEY);
		setMeeting(lead, MEETING_AT);
		completeAs(SALES, lead, new CompletionRequest(Outcome.OPPORTUNITY, null, null, null, null));
		BpmnAwareTests.assertThat(first).isEnded();

		dealLost(lead, LossReason.PENDING);

		ProcessInstance second = running(lead, LeadProcess.KEY);
		assertThat(second.getId()).isNotEqualTo(first.getId());
		BpmnAwareTests.assertThat(second).isWaitingAt("CallActivity_Recycle");
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.ACTIVE);
		assertNext(lead, ActionType.CALL, tokyo(2027, 1, 4, 9, 0));
	}

	@Test
	void closedLeadCannotBeRecycled() {
		Lead lead = submit(Route.NURTURE);
		complete(lead, Outcome.DISQUALIFIED);

		assertThatThrownBy(() -> moves.apply(lead.id(),
				new LeadEventRequest(LeadEventRequest.Kind.DEAL_LOST, LossReason.OTHER, null), "sales1"))
			.isInstanceOf(ConflictException.class);
		assertInvariant(lead.id());
	}

	@Test
	void doNotContactMessageClosesLeadFromAnyRoute() {
		Lead nurture = submit(Route.NURTURE);
		Lead upsell = submit(Route.UPSELL);
		Lead recycle = submit(Route.RECYCLE, LossReason.OTHER);
		Lead outbound = submit(Route.OUTBOUND);
		Lead waitingForContent = submit(Route.NURTURE);
		complete(waitingForContent, Outcome.CONTACTED);
		assertThat(openAction(waitingForContent).type()).isEqualTo(ActionType.CONTENT);
		Lead handedOff = submit(Route.NURTURE);
		setMeeting(handedOff, MEETING_AT);

		for (Lead lead : List.of(nurture, upsell, recycle, outbound, waitingForContent, handedOff)) {
			ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
			NextAction open = openAction(lead);

			doNotContact(lead);

			BpmnAwareTests.assertThat(leadProcess)
				.hasPassed("BoundaryEvent_DoNotContact", "Gateway_JoinClosed", "Task_CloseLead", "EndEvent_LeadClosed")
				.isEnded();
			assertThat(runningProcesses(lead)).isEmpty();
			assertThat(actionRows.findById(open.id()).orElseThrow().status()).isEqualTo(ActionStatus.CANCELLED);
			Lead closed = lead(lead.id());
			assertThat(closed.status()).as("%s lead", lead.route()).isEqualTo(LeadStatus.CLOSED);
			assertThat(closed.doNotContact()).isTrue();
		}
	}

	private void assertRouteStarted(Lead lead, String callActivity, String routeProcess) {
		BpmnAwareTests.assertThat(running(lead, LeadProcess.KEY))
			.hasPassed("StartEvent_LeadReceived", "Gateway_JoinRouteScope", "StartEvent_RouteStarted", "Gateway_JoinRoute",
					"Gateway_Route")
			.isWaitingAt(callActivity)
			.variables()
			.containsEntry("leadId", lead.id())
			.containsEntry("route", lead.route().name())
			// The owner lives in lf_lead only (a reassignment changes it there); no step reads it from the process.
			.doesNotContainKey("owner");
		BpmnAwareTests.assertThat(running(lead, routeProcess)).isWaitingAt("UserTask_WorkNextAction");
		assertThat(openAction(lead).type()).isEqualTo(ActionType.CALL);
	}

}
