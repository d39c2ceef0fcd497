package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.leadflow.testsupport.ProcessCoverageTestConfiguration;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.community.process_test_coverage.core.export.CoverageStateJsonExporter;
import org.camunda.community.process_test_coverage.core.export.CoverageStateResult;
import org.camunda.community.process_test_coverage.core.model.Model;
import org.camunda.community.process_test_coverage.core.model.Suite;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build's floor on process coverage. The coverage library reports per test class (and a class
 * floor would fail every class that touches only part of {@code lead.bpmn}), so this test merges
 * the reports the process tests wrote in this run and requires that together they cover at least
 * {@value #MINIMUM} of the flow nodes and sequence flows of every process in {@code bpmn/}. It runs
 * after every other test class ({@code junit-platform.properties} orders classes by {@link Order}).
 */
@Order(Integer.MAX_VALUE)
class CoverageOfEveryProcessTest {

	static final double MINIMUM = 0.9;

	private static final Logger log = LoggerFactory.getLogger(CoverageOfEveryProcessTest.class);

	@Test
	void processTestsCoverTheFlowNodesAndSequenceFlowsOfEveryProcess() throws IOException {
		Set<String> processes = deployedProcesses();
		List<Path> reports = reportsOfThisRun();
		assertThat(reports).as("coverage reports the process tests wrote in this run under %s",
				ProcessCoverageTestConfiguration.REPORT_DIRECTORY).isNotEmpty();

		List<Suite> suites = new ArrayList<>();
		Map<String, Model> models = new TreeMap<>();
		for (Path report : reports) {
			CoverageStateResult result = CoverageStateJsonExporter
				.readCoverageStateResult(Files.readString(report, StandardCharsets.UTF_8));
			suites.addAll(result.getSuites());
			result.getModels().stream().filter(m -> processes.contains(m.getKey())).forEach(m -> models.putIfAbsent(m.getKey(), m));
		}
		assertThat(models.keySet()).as("processes run by the process tests").containsExactlyInAnyOrderElementsOf(processes);

		CoverageStateResult merged = new CoverageStateResult(suites, models.values());
		StringBuilder summary = new StringBuilder("Process coverage (flow nodes + sequence flows) of ")
			.append(suites.size())
			.append(" process test classes:");
		for (Model model : models.values()) {
			summary.append(String.format(Locale.ROOT, "%n  %-14s %5.1f %% of %d", model.getKey(),
					100 * merged.calculateCoverage(model), model.getTotalElementCount()));
		}
		double total = merged.calculateCoverage(models.values());
		summary.append(String.format(Locale.ROOT, "%n  %-14s %5.1f %% (floor %.0f %%)", "all", 100 * total, 100 * MINIMUM));
		log.info("{}", summary);

		assertThat(total).as(summary.toString()).isGreaterThanOrEqualTo(MINIMUM);
	}

	/** Ids of the processes in {@code bpmn/}: what the application deploys. */
	static Set<String> deployedProcesses() throws IOException {
		Set<String> ids = new TreeSet<>();
		try (Stream<Path> files = Files.list(Path.of("bpmn"))) {
			for (Path file : files.filter(p -> p.toString().endsWith(".bpmn")).toList()) {
				Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(Process.class).forEach(p -> ids.add(p.getId()));
			}
		}
		assertThat(ids).as("processes in bpmn/").isNotEmpty();
		return ids;
	}

	/** Reports written since this JVM started: older ones are left over from earlier builds. */
	static List<Path> reportsOfThisRun() throws IOException {
		Path dir = Path.of(ProcessCoverageTestConfiguration.REPORT_DIRECTORY);
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		FileTime started = FileTime.fromMillis(ManagementFactory.getRuntimeMXBean().getStartTime());
		try (Stream<Path> classes = Files.list(dir)) {
			List<Path> reports = new ArrayList<>();
			for (Path report : classes.map(c -> c.resolve("report.json")).filter(Files::isRegularFile).toList()) {
				if (Files.getLastModifiedTime(report).compareTo(started) >= 0) {
					reports.add(report);
				}
			}
			return reports;
		}
	}

}
