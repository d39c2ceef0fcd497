package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine settings the README's performance tuning names, as the application really runs them
 * (application.yml through Camunda's Spring Boot starter): each one adds or saves rows per lead.
 */
@LeadflowTest
class EngineSettingsTest {

	@Autowired
	ProcessEngine engine;

	@Test
	void writesAuditHistoryInBatchesWithoutMetricsOrTaskMeterLogs() {
		ProcessEngineConfigurationImpl cfg = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

		assertThat(cfg.getHistoryLevel()).isEqualTo(HistoryLevel.HISTORY_LEVEL_AUDIT);
		assertThat(cfg.isJdbcBatchProcessing()).isTrue();
		assertThat(cfg.isMetricsEnabled()).isFalse();
		// One ACT_RU_TASK_METER_LOG row per task assignment otherwise; the benchmark's bare engine has it off as well.
		assertThat(cfg.isTaskMetricsEnabled()).isFalse();
	}

}
