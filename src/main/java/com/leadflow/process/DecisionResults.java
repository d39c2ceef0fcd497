package com.leadflow.process;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.leadflow.common.Databases;

import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Evaluates a decision table with a single result, remembering results per deployed decision
 * version and inputs. A decision table is a function of its inputs, and evaluating the FEEL of
 * every rule again (parsing each expression each time) was about a third of a lead's intake; the
 * latest version is looked up on every call as the engine itself does, so a new deployment is
 * used at once (by its id alone: the repository query's full definition entity cost a completion
 * about 4 % of its CPU). The memory is off, and every call evaluates, when the engine records something
 * per evaluation: decision history (history level {@code full}) or metrics.
 */
@Component
class DecisionResults {

	private final DecisionService decisions;

	private final JdbcClient jdbc;

	private final ProcessEngine engine;

	/** The id of a key's latest version without a tenant, the one {@code evaluateDecisionByKey} picks. */
	private final String latestIdSql;

	private final int maxSize;

	private final Map<List<Object>, Map<String, Object>> results;

	/** Whether evaluations leave no trace in the engine (then results may be remembered); found out on first use. */
	private volatile Boolean traceless;

	DecisionResults(DecisionService decisions, JdbcClient jdbc, ProcessEngine engine,
			@Value("${leadflow.process.decision-cache-size:10000}") int maxSize) {
		this.decisions = decisions;
		this.jdbc = jdbc;
		this.engine = engine;
		this.latestIdSql = "SELECT ID_ FROM " + Databases.engineTable(configuration(engine), "ACT_RE_DECISION_DEF")
				+ " WHERE KEY_ = ? AND TENANT_ID_ IS NULL ORDER BY VERSION_ DESC LIMIT 1";
		this.maxSize = maxSize;
		this.results = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<List<Object>, Map<String, Object>> eldest) {
				return size() > DecisionResults.this.maxSize;
			}
		});
	}

	/** The single result of the latest version of decision {@code key} for {@code inputs}; null when no rule matched. */
	Map<String, Object> evaluate(String key, Map<String, Object> inputs) {
		if (maxSize <= 0 || !traceless()) {
			return entries(decisions.evaluateDecisionByKey(key).variables(inputs).evaluate().getSingleResult());
		}
		String definitionId = jdbc.sql(latestIdSql).param(key).query(String.class).optional().orElse(null);
		if (definitionId == null) {
			// Let the engine say what is wrong, as without the memory.
			return entries(decisions.evaluateDecisionByKey(key).variables(inputs).evaluate().getSingleResult());
		}
		List<Object> cacheKey = new ArrayList<>();
		cacheKey.add(definitionId);
		new TreeMap<>(inputs).forEach((name, value) -> {
			cacheKey.add(name);
			cacheKey.add(value == null ? NULL : value);
		});
		Map<String, Object> known = results.get(cacheKey);
		if (known != null) {
			return known;
		}
		Map<String, Object> result = entries(
				decisions.evaluateDecisionById(definitionId).variables(inputs).evaluate().getSingleResult());
		if (result != null) {
			results.put(List.copyOf(cacheKey), result);
		}
		return result;
	}

	private static ProcessEngineConfigurationImpl configuration(ProcessEngine engine) {
		return ((ProcessEngineImpl) engine).getProcessEngineConfiguration();
	}

	private static Map<String, Object> entries(DmnDecisionResultEntries result) {
		return result == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(result.getEntryMap()));
	}

	private boolean traceless() {
		Boolean known = traceless;
		if (known == null) {
			ProcessEngineConfigurationImpl configuration = configuration(engine);
			known = !configuration.isMetricsEnabled()
					&& !configuration.getHistoryLevel().isHistoryEventProduced(HistoryEventTypes.DMN_DECISION_EVALUATE, null);
			traceless = known;
		}
		return known;
	}

	/** Stands for a null input in a key ({@link List#copyOf} takes no nulls). */
	private static final Object NULL = new Object() {
		@Override
		public String toString() {
			return "null";
		}
	};

}
