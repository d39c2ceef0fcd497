package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The recycle-revisit decision table (bpmn/recycle-revisit.dmn), one case per rule row. */
class RecycleRevisitDecisionTest {

	static final Path FILE = Path.of("bpmn/recycle-revisit.dmn");

	static DmnEngine engine;

	static DmnDecision decision;

	static List<String> ruleIds;

	static final List<String> matchedRules = new ArrayList<>();

	@BeforeAll
	static void parse() {
		DefaultDmnEngineConfiguration configuration = (DefaultDmnEngineConfiguration) DmnEngineConfiguration
			.createDefaultDmnEngineConfiguration();
		configuration.customPostDecisionTableEvaluationListeners(List.of(event -> {
			matchedRules.clear();
			event.getMatchingRules().stream().map(DmnEvaluatedDecisionRule::getId).forEach(matchedRules::add);
		}));
		engine = configuration.buildEngine();
		DmnModelInstance model = Dmn.readModelFromFile(FILE.toFile());
		decision = engine.parseDecision(LeadProcess.DECISION_RECYCLE_REVISIT, model);
		ruleIds = model.getModelElementsByType(Rule.class).stream().map(Rule::getId).toList();
	}

	record Case(String rule, String lossReason, String delay) {

		@Override
		public String toString() {
			return "Rule_" + rule + ": " + lossReason + " -> " + delay;
		}
	}

	static Stream<Case> rows() {
		return Stream.of(
				new Case("Pending", "PENDING", "P1M"),
				new Case("Competitor", "COMPETITOR", "P6M"),
				new Case("Mismatch", "MISMATCH", "P3M"),
				new Case("Other", "OTHER", "P3M"),
				new Case("Parked", "PARKED", "P3M"),
				new Case("Default", "BUDGET", "P3M"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void ruleRow(Case c) {
		assertThat(evaluate(c.lossReason())).isEqualTo(c.delay());
		assertThat(matchedRules).containsExactly("Rule_" + c.rule());
	}

	@Test
	void everyRuleRowHasACase() {
		assertThat(rows().map(c -> "Rule_" + c.rule())).containsExactlyElementsOf(ruleIds);
	}

	@Test
	void missingReasonFallsIntoTheLastRow() {
		assertThat(evaluate(null)).isEqualTo("P3M");
		assertThat(matchedRules).containsExactly("Rule_Default");
	}

	static String evaluate(String lossReason) {
		Map<String, Object> vars = new HashMap<>(Collections.singletonMap("lossReason", lossReason));
		DmnDecisionTableResult result = engine.evaluateDecisionTable(decision, vars);
		assertThat(result.getResultList()).hasSize(1);
		return result.getSingleResult().getEntry("delay");
	}

}
