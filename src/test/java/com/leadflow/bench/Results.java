package com.leadflow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything one run measured; {@link Report} turns it into BENCHMARKS.md. */
final class Results {

	final Benchmark.Options options;

	String server;

	String serverVersion;

	String bufferPool;

	String flushLog;

	String redoLog;

	/** Each measurement of the baseline: starts/s (threads), starts/s (1 thread), completions/s. */
	final List<double[]> bareRuns = new ArrayList<>();

	double bareStarts;

	double bareStartsSingle;

	double bareCompletions;

	double appStartSeconds;

	boolean parentIndexPresent;

	double apiLeads;

	final AtomicInteger apiRetries = new AtomicInteger();

	double apiLeadsWithOwner;

	int completionRetries;

	double importLeads;

	double completions;

	double serviceSeedRate;

	long templateLeads;

	long rowsPerLead;

	double bareRowsPerStart;

	double engineRowsPerLead;

	/** Process variables a template lead's instances hold at rest (ACT_RU_VARIABLE rows per lead). */
	double variablesPerLead;

	Map<String, Long> templateRows = new LinkedHashMap<>();

	double kpiSeedRate;

	long kpiDayRows;

	final List<SizeResult> sizes = new ArrayList<>();

	Integer heapExit;

	String heapLine;

	String failure;

	double totalSeconds;

	Results(Benchmark.Options options) {
		this.options = options;
	}

	/** Writes the report so far, so a long run that is stopped still leaves its figures behind. */
	void writeProgress() {
		try {
			java.nio.file.Files.writeString(options.output(), new Report(this).markdown(),
					java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (Exception ex) {
			System.err.println("[bench] could not write " + options.output() + ": " + ex.getMessage());
		}
	}

}

/** Figures at one database size. */
final class SizeResult {

	final int size;

	long leads;

	long openActions;

	long openTasks;

	long events;

	long databaseMb;

	double cloneSeconds;

	/** How the server wrote out the copy before the queries were measured (null when nothing was copied). */
	BenchDb.Settle settle;

	final Map<String, Bench.Latency> latencies = new LinkedHashMap<>();

	/** Queries that did not answer 200, with what they answered. */
	final Map<String, String> errors = new LinkedHashMap<>();

	double completionsWithIndex;

	double completionsWithoutIndex = Double.NaN;

	String auditSummary;

	/** How long one full consistency check (POST /api/audit/check) took, and what it reported (queries-only runs). */
	double checkSeconds;

	String checkRun;

	SizeResult(int size) {
		this.size = size;
	}

}
