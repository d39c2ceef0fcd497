package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The remembered decision results: a new version of a table is used by the very next evaluation
 * (the latest version is looked up each time), a version deployed for a tenant is not the one
 * {@code evaluateDecisionByKey} would pick, and an unknown key fails as the engine says.
 */
@LeadflowTest
class DecisionResultsTest {

	@Autowired
	DecisionResults results;

	@Autowired
	RepositoryService repository;

	private final List<String> deployments = new ArrayList<>();

	@AfterEach
	void undeploy() {
		deployments.forEach(id -> repository.deleteDeployment(id, true));
	}

	@Test
	void usesANewVersionAtOnceAndRemembersEachVersionsResults() {
		String key = "lfTest" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		deploy(key, "one", null);

		Map<String, Object> first = results.evaluate(key, Map.of("route", "NURTURE"));
		assertThat(first).containsEntry("actionType", "one");
		// Remembered: the same inputs against the same version give back the same result.
		assertThat(results.evaluate(key, Map.of("route", "NURTURE"))).isSameAs(first);

		deploy(key, "two", null);
		assertThat(results.evaluate(key, Map.of("route", "NURTURE"))).containsEntry("actionType", "two");

		// A version deployed for a tenant is not the latest version without one.
		deploy(key, "tenant", "acme");
		assertThat(results.evaluate(key, Map.of("route", "NURTURE"))).containsEntry("actionType", "two");

		// No rule matched: no result.
		assertThat(results.evaluate(key, Map.of("route", "OUTBOUND"))).isNull();
	}

	@Test
	void anUnknownDecisionFailsAsTheEngineSays() {
		assertThatThrownBy(() -> results.evaluate("lfNoSuchDecision", Map.of("route", "NURTURE")))
			.isInstanceOf(ProcessEngineException.class)
			.hasMessageContaining("lfNoSuchDecision");
	}

	private void deploy(String key, String actionType, String tenant) {
		String dmn = """
				<?xml version="1.0" encoding="UTF-8"?>
				<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="d_%1$s_%2$s" name="test" namespace="http://leadflow.com/test">
				  <decision id="%1$s" name="test" camunda:historyTimeToLive="P1D">
				    <decisionTable id="t_%1$s" hitPolicy="FIRST">
				      <input id="i_route" label="Route">
				        <inputExpression id="e_route" typeRef="string"><text>route</text></inputExpression>
				      </input>
				      <output id="o_type" name="actionType" typeRef="string" />
				      <rule id="r_nurture">
				        <inputEntry id="ie_nurture"><text>"NURTURE"</text></inputEntry>
				        <outputEntry id="oe_nurture"><text>"%2$s"</text></outputEntry>
				      </rule>
				    </decisionTable>
				  </decision>
				</definitions>
				""".formatted(key, actionType);
		var builder = repository.createDeployment().name("decision-results-test").addString(key + ".dmn", dmn);
		if (tenant != null) {
			builder.tenantId(tenant);
		}
		deployments.add(builder.deploy().getId());
	}

}
