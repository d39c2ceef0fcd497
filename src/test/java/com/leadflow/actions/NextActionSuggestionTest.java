package com.leadflow.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.actions.NextActionSuggestion.Kind;
import com.leadflow.actions.NextActionSuggestion.Suggestion;
import com.leadflow.leads.Route;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The suggestion the outcome form shows is what the process then plans: each case asks for the
 * suggestion, completes the action with the same outcome at the same instant, and compares.
 */
@LeadflowTest
class NextActionSuggestionTest extends LeadflowApiSupport {

	/** A Wednesday morning in Tokyo, no holiday around. */
	static final LocalDateTime WEDNESDAY = LocalDateTime.of(2026, 6, 10, 10, 0);

	@Autowired
	NextActionSuggestion suggestions;

	@Test
	void contactedOnNurtureSuggestsTheCaseStudyTheProcessThenPlans() throws Exception {
		clockAt(WEDNESDAY);
		JsonNode lead = createLead("NURTURE", freshRep("suggest"));
		Suggestion suggested = suggestions.suggest(actionId(lead), Outcome.CONTACTED, Map.of("budget", "500万円"), null);
		assertThat(suggested.kind()).isEqualTo(Kind.ACTION);
		assertThat(suggested.type()).isEqualTo(ActionType.CONTENT);
		assertThat(suggested.content()).isEqualTo("case-study");
		assertThat(suggested.editable()).isTrue();
		assertSameAsPlanned(lead, suggested, Map.of("outcome", "CONTACTED", "hearing", Map.of("budget", "500万円")));
	}

	@Test
	void threeHearingItemsMakeAWellKnownLeadThatIsCalledAgain() throws Exception {
		clockAt(WEDNESDAY);
		JsonNode lead = createLead("NURTURE", freshRep("suggest"));
		Map<String, String> hearing = Map.of("budget", "500万円", "authority", "部長", "timeline", "来期");
		Suggestion suggested = suggestions.suggest(actionId(lead), Outcome.CONTACTED, hearing, null);
		assertThat(suggested.type()).isEqualTo(ActionType.CALL);
		assertSameAsPlanned(lead, suggested, Map.of("outcome", "CONTACTED", "hearing", hearing));
	}

	@Test
	void unansweredCallsCountAttemptsLikeTheProcess() throws Exception {
		clockAt(WEDNESDAY);
		JsonNode lead = createLead("NURTURE", freshRep("suggest"));
		for (int attempt = 1; attempt <= 3; attempt++) {
			Suggestion suggested = suggestions.suggest(actionId(lead), Outcome.NO_ANSWER, null, null);
			assertThat(suggested.type()).isEqualTo(attempt < 3 ? ActionType.CALL : ActionType.EMAIL);
			lead = assertSameAsPlanned(lead, suggested, Map.of("outcome", "NO_ANSWER"));
			clockAt(dueAt(lead).plus(1, ChronoUnit.HOURS));
		}
	}

	@Test
	void aParkedOutboundLeadIsSuggestedTheRecycleRevisitCall() throws Exception {
		clockAt(WEDNESDAY);
		String rep = freshRep("suggest");
		JsonNode lead = createLead("OUTBOUND", rep);
		lead = complete(actionId(lead), rep, "WRONG_NUMBER");
		clockAt(dueAt(lead).plus(1, ChronoUnit.HOURS));
		Suggestion suggested = suggestions.suggest(actionId(lead), Outcome.SENT, null, null);
		assertThat(suggested.route()).isEqualTo(Route.RECYCLE);
		assertThat(suggested.type()).isEqualTo(ActionType.CALL);
		JsonNode after = assertSameAsPlanned(lead, suggested, Map.of("outcome", "SENT"));
		assertThat(after.get("route").asText()).isEqualTo("RECYCLE");
	}

	@Test
	void aMeetingWithoutOpportunityReturnsToNurtureAndAnOpportunityEndsTheWork() throws Exception {
		clockAt(WEDNESDAY);
		String rep = freshRep("suggest");
		Instant meetingAt = tokyo(2026, 6, 12, 14, 0);
		JsonNode won = complete(actionId(createLead("NURTURE", rep)), rep, meetingSet(meetingAt));
		JsonNode lost = complete(actionId(createLead("UPSELL", rep)), rep, meetingSet(meetingAt));
		Suggestion meeting = suggestions.suggest(actionId(createLead("NURTURE", rep)), Outcome.MEETING_SET, null, meetingAt);
		assertThat(meeting.kind()).isEqualTo(Kind.MEETING);
		assertThat(meeting.dueAt()).isEqualTo(meetingAt);

		clockAt(tokyo(2026, 6, 12, 15, 0));
		Suggestion opportunity = suggestions.suggest(actionId(won), Outcome.OPPORTUNITY, null, null);
		assertThat(opportunity.kind()).isEqualTo(Kind.OPPORTUNITY);
		assertThat(complete(actionId(won), SALES, "OPPORTUNITY").get("nextAction").isNull()).isTrue();

		Suggestion back = suggestions.suggest(actionId(lost), Outcome.NO_OPPORTUNITY, null, null);
		assertThat(back.route()).isEqualTo(Route.NURTURE);
		assertThat(back.editable()).isFalse();
		assertSameAsPlanned(lost, back, Map.of("outcome", "NO_OPPORTUNITY"), SALES);
	}

	@Test
	void closingOutcomesSuggestNoNextAction() throws Exception {
		clockAt(WEDNESDAY);
		JsonNode lead = createLead("NURTURE", freshRep("suggest"));
		assertThat(suggestions.suggest(actionId(lead), Outcome.DISQUALIFIED, null, null).kind()).isEqualTo(Kind.CLOSED);
		assertThat(suggestions.suggest(actionId(lead), Outcome.DO_NOT_CONTACT, null, null).terminal()).isTrue();
	}

	private JsonNode assertSameAsPlanned(JsonNode lead, Suggestion suggested, Map<String, Object> body) throws Exception {
		return assertSameAsPlanned(lead, suggested, body, lead.get("owner").asText());
	}

	private JsonNode assertSameAsPlanned(JsonNode lead, Suggestion suggested, Map<String, Object> body, String user)
			throws Exception {
		JsonNode after = complete(actionId(lead), user, new HashMap<>(body));
		assertThat(actionType(after)).isEqualTo(suggested.type().name());
		assertThat(dueAt(after)).isEqualTo(suggested.dueAt());
		assertThat(after.get("route").asText()).isEqualTo(suggested.route().name());
		return after;
	}

}
