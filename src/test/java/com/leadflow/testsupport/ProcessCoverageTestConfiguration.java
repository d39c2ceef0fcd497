package com.leadflow.testsupport;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.community.process_test_coverage.core.model.Collector;
import org.camunda.community.process_test_coverage.engine.platform7.CompensationEventCoverageHandler;
import org.camunda.community.process_test_coverage.engine.platform7.ElementCoverageParseListener;
import org.camunda.community.process_test_coverage.engine.platform7.ProcessCoverageConfigurator;
import org.camunda.community.process_test_coverage.spring_test.common.ProcessEngineCoverageProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Process test coverage in every application context the tests start (registered in
 * {@code META-INF/spring/…AutoConfiguration.imports} of the test classpath, so the contexts' cache
 * keys stay as they are and the suite keeps its one shared context).
 *
 * <p>The library's {@code ProcessEngineCoverageTestExecutionListener} is registered for every Spring
 * test by the library itself; only the process tests ({@code com.leadflow.process.*ProcessTest})
 * record coverage, into {@code target/process-test-coverage/<test class>/report.json}. Everything
 * else runs the engine with the coverage listeners pointed at a collector that drops the events,
 * because the library's listeners fail any process step taken before a coverage run has started
 * (and the process test classes point them back there when they are done).
 * {@code CoverageOfEveryProcessTest} merges the reports and enforces the floor.
 */
@AutoConfiguration
public class ProcessCoverageTestConfiguration {

	public static final String REPORT_DIRECTORY = "target/process-test-coverage";

	public static final String PROCESS_TESTS = "com.leadflow.process.*ProcessTest";

	private static final Collector DROP_EVENTS = event -> {
	};

	@Bean
	ProcessEnginePlugin processCoverageEnginePlugin() {
		return new AbstractProcessEnginePlugin() {

			@Override
			public void preInit(ProcessEngineConfigurationImpl configuration) {
				ProcessCoverageConfigurator.initializeProcessCoverageExtensions(configuration);
				dropEvents(configuration);
			}

		};
	}

	/**
	 * Points the engine's coverage listeners at the collector that drops events, as between process
	 * test classes: other tests (some start processes from several threads) must not feed the last
	 * process test class's collector.
	 */
	public static void dropEvents(ProcessEngine engine) {
		dropEvents((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration());
	}

	private static void dropEvents(ProcessEngineConfigurationImpl configuration) {
		configuration.getCustomPostBPMNParseListeners()
			.stream()
			.filter(ElementCoverageParseListener.class::isInstance)
			.forEach(listener -> ((ElementCoverageParseListener) listener).setCoverageState(DROP_EVENTS));
		configuration.getCustomEventHandlers()
			.stream()
			.filter(CompensationEventCoverageHandler.class::isInstance)
			.forEach(handler -> ((CompensationEventCoverageHandler) handler).setCoverageState(DROP_EVENTS));
	}

	@Bean
	ProcessEngineCoverageProperties processEngineCoverageProperties() {
		return ProcessEngineCoverageProperties.builder()
			.addInclusionPatternForTestClasses(PROCESS_TESTS)
			.reportDirectory(REPORT_DIRECTORY)
			.build();
	}

}
