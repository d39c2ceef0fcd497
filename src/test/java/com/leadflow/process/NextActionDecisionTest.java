package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionRuleResult;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.HitPolicy;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The next-action decision table (bpmn/next-action.dmn), one case per rule row: each case must
 * produce the row's outputs and be matched by exactly that row as the first hit. Rows without a
 * content template output an empty string (an empty output cell would leave the entry out of the
 * result, and {@code getEntry("content")} would fail).
 */
class NextActionDecisionTest {

	static final Path FILE = Path.of("bpmn/next-action.dmn");

	static DmnEngine engine;

	static DmnDecision decision;

	/** The same table with hit policy COLLECT: shows every row a case matches, in table order. */
	static DmnDecision allMatches;

	static List<String> ruleIds;

	static final List<String> matchedRules = new ArrayList<>();

	@BeforeAll
	static void parse() {
		DefaultDmnEngineConfiguration configuration = (DefaultDmnEngineConfiguration) DmnEngineConfiguration
			.createDefaultDmnEngineConfiguration();
		DmnDecisionTableEvaluationListener recorder = event -> {
			matchedRules.clear();
			event.getMatchingRules().stream().map(DmnEvaluatedDecisionRule::getId).forEach(matchedRules::add);
		};
		configuration.customPostDecisionTableEvaluationListeners(List.of(recorder));
		engine = configuration.buildEngine();

		DmnModelInstance model = Dmn.readModelFromFile(FILE.toFile());
		decision = engine.parseDecision(LeadProcess.DECISION_NEXT_ACTION, model);
		ruleIds = model.getModelElementsByType(Rule.class).stream().map(Rule::getId).toList();

		DmnModelInstance collect = Dmn.readModelFromFile(FILE.toFile());
		collect.getModelElementsByType(DecisionTable.class).forEach(t -> t.setHitPolicy(HitPolicy.COLLECT));
		allMatches = engine.parseDecision(LeadProcess.DECISION_NEXT_ACTION, collect);
	}

	record Case(String rule, String route, String lastOutcome, int attempt, int daysSinceLastTouch, int hearingItems,
			String actionType, String delay, String content) {

		Map<String, Object> variables() {
			Map<String, Object> vars = new HashMap<>();
			vars.put("route", route);
			vars.put("lastOutcome", lastOutcome);
			vars.put("attempt", attempt);
			vars.put("daysSinceLastTouch", daysSinceLastTouch);
			vars.put("hearingItems", hearingItems);
			return vars;
		}

		@Override
		public String toString() {
			return "Rule_" + rule + ": " + route + " / " + lastOutcome + " (attempt " + attempt + ", " + daysSinceLastTouch
					+ " days, " + hearingItems + " hearing items) -> " + actionType + " " + delay
					+ (content == null ? "" : " " + content);
		}
	}

	static Case row(String rule, String route, String lastOutcome, int attempt, int days, int hearing, String type,
			String delay, String content) {
		return new Case(rule, route, lastOutcome, attempt, days, hearing, type, delay, content);
	}

	/** One case per rule row, in table order. */
	static Stream<Case> rows() {
		return Stream.of(
				row("Nurture_FirstCall", "NURTURE", null, 0, 0, 0, "CALL", "PT0S", null),
				row("Nurture_NoAnswerRetry", "NURTURE", "NO_ANSWER", 2, 2, 0, "CALL", "P2D", null),
				row("Nurture_NoAnswerEmail", "NURTURE", "NO_ANSWER", 3, 2, 0, "EMAIL", "P1D", "follow-up"),
				row("Nurture_WrongNumber", "NURTURE", "WRONG_NUMBER", 0, 0, 0, "EMAIL", "P1D", "follow-up"),
				row("Nurture_ContactedWellKnown", "NURTURE", "CONTACTED", 0, 0, 3, "CALL", "P7D", null),
				row("Nurture_ContactedCaseStudy", "NURTURE", "CONTACTED", 0, 0, 2, "CONTENT", "P7D", "case-study"),
				row("Nurture_NotInterested", "NURTURE", "NOT_INTERESTED", 0, 0, 1, "CONTENT", "P30D",
						"seminar-invitation"),
				row("Nurture_Callback", "NURTURE", "CALLBACK", 0, 0, 1, "CALL", "P1D", null),
				row("Nurture_SentLongSilence", "NURTURE", "SENT", 0, 61, 1, "CALL", "P1D", null),
				row("Nurture_SentFollowUpCall", "NURTURE", "SENT", 0, 60, 1, "CALL", "P14D", null),
				row("Nurture_NoOpportunity", "NURTURE", "NO_OPPORTUNITY", 0, 10, 4, "CALL", "P30D", null),
				row("Nurture_Other", "NURTURE", "MEETING_SET", 0, 0, 4, "CALL", "P7D", null),
				row("Upsell_FirstCall", "UPSELL", null, 0, 0, 0, "CALL", "PT0S", null),
				row("Upsell_NoAnswerRetry", "UPSELL", "NO_ANSWER", 1, 3, 0, "CALL", "P3D", null),
				row("Upsell_NoAnswerEmail", "UPSELL", "NO_ANSWER", 3, 3, 0, "EMAIL", "P1D", "follow-up"),
				row("Upsell_WrongNumber", "UPSELL", "WRONG_NUMBER", 0, 0, 0, "EMAIL", "P1D", "follow-up"),
				row("Upsell_Callback", "UPSELL", "CALLBACK", 0, 0, 0, "CALL", "P1D", null),
				row("Upsell_TouchInterval", "UPSELL", "CONTACTED", 0, 0, 5, "CALL", "P90D", null),
				row("Recycle_NoAnswerRetry", "RECYCLE", "NO_ANSWER", 0, 90, 0, "CALL", "P3D", null),
				row("Recycle_NoAnswerEmail", "RECYCLE", "NO_ANSWER", 5, 99, 0, "EMAIL", "P1D", "follow-up"),
				row("Recycle_ContactedCaseStudy", "RECYCLE", "CONTACTED", 0, 0, 4, "CONTENT", "P14D", "case-study"),
				row("Recycle_NotInterested", "RECYCLE", "NOT_INTERESTED", 0, 0, 0, "CALL", "P180D", null),
				row("Recycle_Callback", "RECYCLE", "CALLBACK", 0, 0, 0, "CALL", "P1D", null),
				row("Recycle_Other", "RECYCLE", null, 0, 120, 0, "CALL", "P30D", null),
				row("Outbound_FirstCall", "OUTBOUND", null, 0, 0, 0, "CALL", "PT0S", null),
				row("Outbound_NoAnswerRetry", "OUTBOUND", "NO_ANSWER", 2, 1, 0, "CALL", "P1D", null),
				row("Outbound_NoAnswerEmail", "OUTBOUND", "NO_ANSWER", 3, 1, 0, "EMAIL", "PT0S", "follow-up"),
				row("Outbound_WrongNumber", "OUTBOUND", "WRONG_NUMBER", 0, 0, 0, "EMAIL", "PT0S", "follow-up"),
				row("Outbound_ContactedCaseStudy", "OUTBOUND", "CONTACTED", 0, 0, 1, "EMAIL", "P1D", "case-study"),
				row("Outbound_Callback", "OUTBOUND", "CALLBACK", 0, 0, 0, "CALL", "P1D", null),
				row("Outbound_Park", "OUTBOUND", "SENT", 0, 1, 0, "PARK", "PT0S", null),
				row("SafetyNet", "PARTNER", "CONTACTED", 0, 0, 0, "CALL", "P7D", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void ruleRow(Case c) {
		DmnDecisionRuleResult result = evaluate(c.variables());

		assertThat(matchedRules).as("matched row").containsExactly("Rule_" + c.rule());
		assertThat((String) result.getEntry("actionType")).as("actionType").isEqualTo(c.actionType());
		assertThat((String) result.getEntry("delay")).as("delay").isEqualTo(c.delay());
		assertThat((String) result.getEntry("content")).as("content").isEqualTo(c.content() == null ? "" : c.content());
		assertThat(allMatches(c.variables())).as("rows matching under COLLECT").first().isEqualTo("Rule_" + c.rule());
	}

	@Test
	void everyRuleRowHasACase() {
		assertThat(rows().map(c -> "Rule_" + c.rule())).containsExactlyElementsOf(ruleIds);
	}

	@Test
	void firstHitWinsWhereRowsOverlap() {
		Map<String, Object> noAnswer = row("", "NURTURE", "NO_ANSWER", 1, 2, 0, null, null, null).variables();
		assertThat(allMatches(noAnswer)).containsExactly("Rule_Nurture_NoAnswerRetry", "Rule_Nurture_NoAnswerEmail",
				"Rule_Nurture_Other", "Rule_SafetyNet");
		assertThat((String) evaluate(noAnswer).getEntry("actionType")).isEqualTo("CALL");
		assertThat(matchedRules).containsExactly("Rule_Nurture_NoAnswerRetry");

		Map<String, Object> contacted = row("", "NURTURE", "CONTACTED", 0, 0, 3, null, null, null).variables();
		assertThat(allMatches(contacted)).startsWith("Rule_Nurture_ContactedWellKnown", "Rule_Nurture_ContactedCaseStudy");
		assertThat((String) evaluate(contacted).getEntry("actionType")).isEqualTo("CALL");

		Map<String, Object> sent = row("", "NURTURE", "SENT", 0, 61, 0, null, null, null).variables();
		assertThat(allMatches(sent)).startsWith("Rule_Nurture_SentLongSilence", "Rule_Nurture_SentFollowUpCall");
		assertThat((String) evaluate(sent).getEntry("delay")).isEqualTo("P1D");

		Map<String, Object> outboundLater = row("", "OUTBOUND", "NOT_INTERESTED", 0, 0, 0, null, null, null).variables();
		assertThat(allMatches(outboundLater)).containsExactly("Rule_Outbound_Park", "Rule_SafetyNet");
		assertThat((String) evaluate(outboundLater).getEntry("actionType")).isEqualTo("PARK");
	}

	@Test
	void unknownOrMissingRouteFallsIntoTheSafetyNet() {
		Map<String, Object> vars = row("", null, null, 0, 0, 0, null, null, null).variables();
		DmnDecisionRuleResult result = evaluate(vars);
		assertThat(matchedRules).containsExactly("Rule_SafetyNet");
		assertThat((String) result.getEntry("actionType")).isEqualTo("CALL");
		assertThat((String) result.getEntry("delay")).isEqualTo("P7D");
	}

	static DmnDecisionRuleResult evaluate(Map<String, Object> variables) {
		DmnDecisionTableResult result = engine.evaluateDecisionTable(decision, variables);
		assertThat(result.getResultList()).hasSize(1);
		return result.getSingleResult();
	}

	static List<String> allMatches(Map<String, Object> variables) {
		engine.evaluateDecisionTable(allMatches, variables);
		return List.copyOf(matchedRules);
	}

}
