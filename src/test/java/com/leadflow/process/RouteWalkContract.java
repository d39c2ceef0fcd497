package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.testsupport.LeadflowApiSupport;

import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;

/**
 * Walks leads through every route via the REST API (marketing hands in, the rep works the
 * inbox, sales reports), asserting the invariant after every step. Runs on H2
 * ({@link RouteWalkTest}) and on MySQL ({@link RouteWalkMySqlIT}). All times are Asia/Tokyo;
 * each step moves the engine clock to when the rep works the action.
 */
abstract class RouteWalkContract extends LeadflowApiSupport {

	@Test
	void nurtureCallsThreeTimesThenEmailsThenSendsContentOnItsTimerThenCallsAgain() throws Exception {
		String rep = freshRep("walk-nurture");
		Instant created = clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("NURTURE", rep);
		String id = lead.get("id").asText();
		assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
		assertThat(lead.get("route").asText()).isEqualTo("NURTURE");
		assertThat(lead.get("owner").asText()).isEqualTo(rep);
		assertNext(lead, "CALL", created);
		assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(rep);
		assertInvariant(id);

		// Three unanswered calls, two days apart (Sunday → Monday 09:00), then an individual email.
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "CALL", tokyo(2026, 12, 4, 10, 0));
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "CALL", tokyo(2026, 12, 7, 9, 0));
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "EMAIL", tokyo(2026, 12, 8, 9, 0));
		assertThat(lead.get("nextAction").get("content").asText()).isEqualTo("follow-up");

		// The email went out: a follow-up call in two weeks.
		lead = workAs(rep, id, Map.of("outcome", "SENT"));
		assertNext(lead, "CALL", tokyo(2026, 12, 22, 9, 0));

		// Contacted, few needs known yet: a case study a week later, sent by the engine on its timer.
		lead = workAs(rep, id, Map.of("outcome", "CONTACTED", "hearing", Map.of("budget", "未定", "timeline", "来期")));
		assertNext(lead, "CONTENT", tokyo(2026, 12, 29, 9, 0));
		assertThat(lead.get("nextAction").get("content").asText()).isEqualTo("case-study");
		List<Job> timers = timerJobsOf(id, LeadProcess.Elements.TIMER_CONTENT_DUE);
		assertThat(timers).hasSize(1);
		assertThat(timers.get(0).getDuedate().toInstant()).isEqualTo(tokyo(2026, 12, 29, 9, 0));

		clockAt(tokyo(2026, 12, 29, 9, 0));
		managementService.executeJob(timers.get(0).getId());
		lead = assertInvariant(id);
		assertNext(lead, "CALL", tokyo(2027, 1, 12, 9, 0));
		assertThat(historyTypes(id)).contains("CONTENT_SENT");

		lead = workAs(rep, id, Map.of("outcome", "DISQUALIFIED"));
		assertThat(lead.get("status").asText()).isEqualTo("CLOSED");
		assertThat(processesOf(id)).isEmpty();
	}

	@Test
	void upsellChecksInAtTheNinetyDayTouchInterval() throws Exception {
		String rep = freshRep("walk-upsell");
		Instant created = clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("UPSELL", rep);
		String id = lead.get("id").asText();
		assertNext(lead, "CALL", created);
		assertInvariant(id);

		lead = workAs(rep, id, Map.of("outcome", "CONTACTED", "hearing", Map.of("needs", "追加ライセンス")));
		assertNext(lead, "CALL", tokyo(2027, 3, 2, 10, 0));
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "CALL", tokyo(2027, 3, 5, 10, 0));
		lead = workAs(rep, id, Map.of("outcome", "CONTACTED"));
		assertNext(lead, "CALL", tokyo(2027, 6, 3, 10, 0));

		lead = workAs(rep, id, Map.of("outcome", "DO_NOT_CONTACT"));
		assertThat(lead.get("status").asText()).isEqualTo("CLOSED");
		assertThat(lead.get("doNotContact").asBoolean()).isTrue();
	}

	@Test
	void outboundParksIntoRecycleAfterThreeUnansweredCallsAndAnEmail() throws Exception {
		String rep = freshRep("walk-outbound");
		Instant created = clockAt(tokyo(2026, 12, 2, 10, 0));
		JsonNode lead = createLead("OUTBOUND", rep);
		String id = lead.get("id").asText();
		assertNext(lead, "CALL", created);
		assertInvariant(id);

		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "CALL", tokyo(2026, 12, 3, 10, 0));
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "CALL", tokyo(2026, 12, 4, 10, 0));
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertNext(lead, "EMAIL", tokyo(2026, 12, 4, 10, 0));

		lead = workAs(rep, id, Map.of("outcome", "SENT"));
		assertThat(lead.get("route").asText()).isEqualTo("RECYCLE");
		assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
		assertNext(lead, "CALL", tokyo(2027, 3, 4, 10, 0));
		assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(rep);
		JsonNode routeChange = lastOfType(id, "ROUTE_CHANGED");
		assertThat(routeChange.get("outcome").asText()).isEqualTo("PARKED");
		assertThat(routeChange.get("route").asText()).isEqualTo("RECYCLE");

		// Re-approached on the recycle cadence.
		lead = workAs(rep, id, Map.of("outcome", "NO_ANSWER"));
		assertThat(lead.get("route").asText()).isEqualTo("RECYCLE");
		assertNext(lead, "CALL", tokyo(2027, 3, 8, 9, 0));
		lead = workAs(rep, id, Map.of("outcome", "DISQUALIFIED"));
		assertThat(lead.get("status").asText()).isEqualTo("CLOSED");
	}

	@Test
	void dealLostPendingRecyclesForAMonthThenAMeetingWithoutOpportunityReturnsTheLeadToNurture() throws Exception {
		String rep = freshRep("walk-pending");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		String id = createLead("NURTURE", rep).get("id").asText();
		assertInvariant(id);

		JsonNode lead = workAs(rep, id, meetingSet(tokyo(2026, 12, 3, 14, 0)));
		assertHandedOff(lead, tokyo(2026, 12, 3, 14, 0));
		String meetingId = actionId(lead);
		assertThat(inboxItem(SALES, id).get("id").asText()).isEqualTo(meetingId);

		clockAt(tokyo(2026, 12, 3, 15, 0));
		lead = event(id, Map.of("type", "DEAL_LOST", "reason", "PENDING", "note", "予算凍結"));
		assertThat(lead.get("route").asText()).isEqualTo("RECYCLE");
		assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
		// One month later is Sunday 2027-01-03: the next working morning.
		assertNext(lead, "CALL", tokyo(2027, 1, 4, 9, 0));
		assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(rep);
		assertThat(actionStatus(meetingId)).isEqualTo("CANCELLED");
		assertInvariant(id);
		assertThat(historyTypes(id)).contains("DEAL_LOST", "ROUTE_CHANGED");

		// Out of recycling again: a new meeting, held without an opportunity → back to nurturing.
		lead = workAs(rep, id, meetingSet(tokyo(2027, 1, 6, 10, 0)));
		assertHandedOff(lead, tokyo(2027, 1, 6, 10, 0));

		clockAt(tokyo(2027, 1, 6, 11, 0));
		lead = complete(inboxItem(SALES, id).get("id").asText(), SALES, Map.of("outcome", "NO_OPPORTUNITY"));
		assertThat(lead.get("route").asText()).isEqualTo("NURTURE");
		assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
		assertNext(lead, "CALL", tokyo(2027, 2, 5, 11, 0));
		assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(rep);
		assertInvariant(id);
	}

	@Test
	void meetingWithOpportunityEndsTheLeadAndDealLostToACompetitorRecyclesItForSixMonths() throws Exception {
		String rep = freshRep("walk-competitor");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		String id = createLead("NURTURE", rep).get("id").asText();
		assertInvariant(id);

		JsonNode lead = workAs(rep, id, meetingSet(tokyo(2026, 12, 3, 14, 0)));
		assertHandedOff(lead, tokyo(2026, 12, 3, 14, 0));

		clockAt(tokyo(2026, 12, 3, 15, 0));
		lead = complete(inboxItem(SALES, id).get("id").asText(), SALES,
				Map.of("outcome", "OPPORTUNITY", "note", "proposal requested"));
		assertThat(lead.get("status").asText()).isEqualTo("OPPORTUNITY");
		assertThat(lead.get("nextAction").isNull()).isTrue();
		assertInvariant(id);
		assertThat(processesOf(id)).isEmpty();
		assertThat(historyTypes(id)).contains("HANDED_OFF", "MEETING_HELD", "OPPORTUNITY");

		clockAt(tokyo(2026, 12, 10, 10, 0));
		lead = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR"));
		assertThat(lead.get("route").asText()).isEqualTo("RECYCLE");
		assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
		assertNext(lead, "CALL", tokyo(2027, 6, 10, 10, 0));
		assertThat(lead.get("nextAction").get("assignee").asText()).isEqualTo(rep);
		assertInvariant(id);
	}

	@Test
	void doNotContactClosesTheLeadAndCancelsItsScheduledContent() throws Exception {
		String rep = freshRep("walk-dnc");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		String id = createLead("NURTURE", rep).get("id").asText();
		JsonNode lead = workAs(rep, id, Map.of("outcome", "CONTACTED"));
		assertNext(lead, "CONTENT", tokyo(2026, 12, 9, 10, 0));
		String contentId = actionId(lead);

		clockAt(tokyo(2026, 12, 3, 10, 0));
		lead = event(id, Map.of("type", "DO_NOT_CONTACT", "note", "unsubscribed by phone"));
		assertThat(lead.get("status").asText()).isEqualTo("CLOSED");
		assertThat(lead.get("doNotContact").asBoolean()).isTrue();
		assertThat(actionStatus(contentId)).isEqualTo("CANCELLED");
		assertInvariant(id);
		assertThat(processesOf(id)).isEmpty();
		assertThat(lastOfType(id, "CLOSED").get("outcome").asText()).isEqualTo("DO_NOT_CONTACT");

		// Reported again: nothing changes.
		lead = event(id, Map.of("type", "DO_NOT_CONTACT"));
		assertThat(lead.get("status").asText()).isEqualTo("CLOSED");
		assertInvariant(id);
	}

	@Test
	void doNotContactDuringAHandOffCancelsTheMeeting() throws Exception {
		String rep = freshRep("walk-dnc-meeting");
		clockAt(tokyo(2026, 12, 2, 10, 0));
		String id = createLead("OUTBOUND", rep).get("id").asText();
		JsonNode lead = workAs(rep, id, meetingSet(tokyo(2026, 12, 7, 13, 30)));
		assertHandedOff(lead, tokyo(2026, 12, 7, 13, 30));
		String meetingId = actionId(lead);

		lead = event(id, Map.of("type", "DO_NOT_CONTACT"));
		assertThat(lead.get("status").asText()).isEqualTo("CLOSED");
		assertThat(actionStatus(meetingId)).isEqualTo("CANCELLED");
		assertInvariant(id);
		assertThat(inbox(SALES).stream().map(i -> i.get("leadId").asText())).doesNotContain(id);
	}

	// ---------------------------------------------------------------- steps

	/**
	 * The rep works the lead's action from the inbox at its due time and records the outcome; the
	 * invariant is checked on the lead that comes back.
	 */
	private JsonNode workAs(String rep, String leadId, Map<String, Object> body) throws Exception {
		JsonNode item = inboxItem(rep, leadId);
		JsonNode before = lead(leadId);
		assertThat(item.get("id").asText()).isEqualTo(actionId(before));
		assertThat(item.get("type").asText()).isEqualTo(actionType(before));
		assertThat(Instant.parse(item.get("dueAt").asText())).isEqualTo(dueAt(before));
		assertThat(item.get("route").asText()).isEqualTo(before.get("route").asText());
		clockAt(Instant.parse(item.get("dueAt").asText()));
		JsonNode after = complete(item.get("id").asText(), rep, body);
		JsonNode checked = assertInvariant(leadId);
		assertThat(checked.get("status").asText()).isEqualTo(after.get("status").asText());
		assertThat(checked.get("nextAction")).isEqualTo(after.get("nextAction"));
		return after;
	}

	private void assertNext(JsonNode lead, String type, Instant due) {
		assertThat(lead.get("nextAction").isNull()).as("lead %s has a next action", lead.get("id")).isFalse();
		assertThat(actionType(lead)).isEqualTo(type);
		assertThat(dueAt(lead)).as("due (Tokyo: %s)", dueAt(lead).atZone(TOKYO)).isEqualTo(due);
	}

	private void assertHandedOff(JsonNode lead, Instant meetingAt) throws Exception {
		assertThat(lead.get("status").asText()).isEqualTo("HANDED_OFF");
		assertNext(lead, "MEETING", meetingAt);
		assertThat(lead.get("nextAction").get("assignee").isNull()).isTrue();
		assertThat(lead.get("nextAction").get("candidateGroup").asText()).isEqualTo("sales");
		assertInvariant(lead.get("id").asText());
	}

	private String actionStatus(String actionId) {
		return jdbc.sql("SELECT status FROM lf_next_action WHERE id = ?").param(actionId).query(String.class).single();
	}

	private JsonNode lastOfType(String leadId, String type) throws Exception {
		JsonNode last = null;
		for (JsonNode event : lead(leadId).get("history")) {
			if (type.equals(event.get("type").asText())) {
				last = event;
			}
		}
		assertThat(last).as("a %s event of lead %s", type, leadId).isNotNull();
		return last;
	}

}
