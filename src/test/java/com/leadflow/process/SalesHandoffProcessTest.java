package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.common.ForbiddenException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.Route;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;

/** One test per path through {@code sales-handoff.bpmn}: sales holds the meeting and records its outcome. */
@LeadflowTest
class SalesHandoffProcessTest extends ProcessTestSupport {

	static final Instant MEETING_AT = tokyo(2026, 12, 9, 14, 0);

	@Test
	void meetingSetHandsTheLeadToSalesWithTheMeetingAsItsNextAction() {
		Lead lead = handedOff();

		ProcessInstance handoff = running(lead, LeadProcess.SALES_HANDOFF);
		BpmnAwareTests.assertThat(handoff)
			.hasPassed("StartEvent_HandoffRequested", "Task_HandOffLead", "Task_ScheduleMeeting")
			.isWaitingAt("UserTask_HoldMeeting");
		BpmnAwareTests.assertThat(BpmnAwareTests.task(handoff)).hasCandidateGroup("sales").isNotAssigned();
		NextAction meeting = assertNext(lead, ActionType.MEETING, MEETING_AT);
		assertThat(meeting.candidateGroup()).isEqualTo("sales");
		assertThat(meeting.assignee()).isNull();
		assertThat(meeting.generated()).isFalse();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.HANDED_OFF);
		assertThat(history(lead)).contains(LeadEventType.HANDED_OFF);
	}

	@Test
	void salesRecordsAnOpportunityAndTheLeadBecomesOne() {
		Lead lead = handedOff();
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		ProcessInstance handoff = running(lead, LeadProcess.SALES_HANDOFF);
		clockAt(tokyo(2026, 12, 9, 16, 0));

		NextAction meeting = completeAs(SALES, lead, new CompletionRequest(Outcome.OPPORTUNITY, null, "予算確保済み", null, null));

		assertThat(meeting.completedBy()).isEqualTo(SALES.id());
		BpmnAwareTests.assertThat(handoff).hasPassed("Gateway_MeetingOutcome", "EndEvent_Opportunity").isEnded();
		BpmnAwareTests.assertThat(leadProcess)
			.hasPassed("EndEvent_OpportunityReached", "Gateway_LeadResult", "Task_MarkOpportunity", "EndEvent_Opportunity")
			.isEnded();
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.OPPORTUNITY);
		assertThat(history(lead)).contains(LeadEventType.MEETING_HELD, LeadEventType.OPPORTUNITY);
	}

	@Test
	void salesRecordsNoOpportunityAndTheLeadReturnsToNurture() {
		Lead lead = handedOff();
		ProcessInstance leadProcess = running(lead, LeadProcess.KEY);
		ProcessInstance handoff = running(lead, LeadProcess.SALES_HANDOFF);
		clockAt(tokyo(2026, 12, 9, 16, 0));

		completeAs(SALES, lead, new CompletionRequest(Outcome.NO_OPPORTUNITY, null, "時期尚早", null, null));

		BpmnAwareTests.assertThat(handoff).hasPassed("EndEvent_NoOpportunity").hasNotPassed("EndEvent_Opportunity").isEnded();
		BpmnAwareTests.assertThat(leadProcess).hasPassed("Task_ReturnToNurture").isWaitingAt("CallActivity_Nurture");
		Lead back = lead(lead.id());
		assertThat(back.status()).isEqualTo(LeadStatus.ACTIVE);
		assertThat(back.route()).isEqualTo(Route.NURTURE);
		// Nurtured again: a call a month after the meeting, on the rep's desk.
		NextAction call = assertNext(lead, ActionType.CALL, tokyo(2027, 1, 8, 16, 0));
		assertThat(call.assignee()).isEqualTo(rep.id());
	}

	@Test
	void overdueMeetingOutcomeEscalatesAndTheMeetingStaysOpen() {
		Lead lead = handedOff();
		ProcessInstance handoff = running(lead, LeadProcess.SALES_HANDOFF);
		String taskId = BpmnAwareTests.task(handoff).getId();
		// No outcome two working days after the meeting.
		assertThat(overdueTimer(lead).getDuedate().toInstant()).isEqualTo(tokyo(2026, 12, 11, 14, 0));

		fire(overdueTimer(lead));
		assertInvariant(lead.id());

		assertThat(events.history(lead.id())).filteredOn(e -> e.type() == LeadEventType.ESCALATED)
			.singleElement()
			.satisfies(e -> assertThat(e.note()).contains("MEETING", "the sales group"));
		BpmnAwareTests.assertThat(handoff)
			.hasPassed("BoundaryEvent_ActionOverdue", "Task_EscalateOverdue", "EndEvent_Escalated")
			.isWaitingAt("UserTask_HoldMeeting");
		assertThat(BpmnAwareTests.task(handoff).getId()).isEqualTo(taskId);

		completeAs(SALES, lead, new CompletionRequest(Outcome.OPPORTUNITY, null, null, null, null));
		assertThat(lead(lead.id()).status()).isEqualTo(LeadStatus.OPPORTUNITY);
	}

	@Test
	void onlySalesRecordsTheMeetingOutcome() {
		Lead lead = handedOff();
		NextAction meeting = openAction(lead);

		assertThatThrownBy(() -> actions.complete(meeting.id(),
				new CompletionRequest(Outcome.OPPORTUNITY, null, null, null, null), rep))
			.isInstanceOf(ForbiddenException.class);

		assertThat(openAction(lead).id()).isEqualTo(meeting.id());
		assertInvariant(lead.id());
	}

	/** An up-sell lead whose rep set a meeting: the hand-off has started. */
	private Lead handedOff() {
		Lead lead = submit(Route.UPSELL);
		setMeeting(lead, MEETING_AT);
		return lead;
	}

}
