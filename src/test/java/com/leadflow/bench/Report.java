package com.leadflow.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.boot.SpringBootVersion;

/** BENCHMARKS.md from one run's {@link Results}. */
final class Report {

	private static final String INBOX = "GET /api/inbox?due=today (rep1)";

	private static final String INBOX_PAGE = "GET /inbox page (rep1, logged in)";

	private static final String AUDIT = "GET /api/audit (manager)";

	private static final String NO_NEXT = "GET /api/audit/no-next-action?size=50";

	private static final String KPI_TEAM = "GET /api/kpis quarter, team (manager)";

	private static final String KPI_REP = "GET /api/kpis quarter, one rep (rep1)";

	/** Median targets at 1,000,000 leads (ms). */
	private static final Map<String, Double> TARGETS = Map.of(INBOX, 50.0, INBOX_PAGE, 50.0, AUDIT, 50.0, NO_NEXT, 50.0,
			KPI_TEAM, 100.0, KPI_REP, 100.0);

	private final Results r;

	private final StringBuilder out = new StringBuilder();

	Report(Results results) {
		this.r = results;
	}

	String markdown() {
		Benchmark.Options o = r.options;
		if (o.queriesOnly()) {
			return queriesOnly();
		}
		line("# Leadflow benchmarks");
		line();
		line("Written by the benchmark command (`com.leadflow.bench.Benchmark`, see the README) on "
				+ ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + "; the whole run took "
				+ String.format(Locale.ROOT, "%.1f", r.totalSeconds / 60) + " minutes. Rerun it with:");
		line();
		line("```bash");
		line("mvn -Pbench test -Dbench.sizes=" + join(o.sizes()) + " -Dbench.threads=" + o.threads() + " -Dbench.leads="
				+ o.leads() + (o.cloneHistory() ? "" : " -Dbench.cloneHistory=false")
				+ (o.bufferPool() == 2L << 30 ? "" : " -Dbench.bufferPool=" + o.bufferPool() / (1L << 20) + "M")
				+ (!o.heap() ? " -Dbench.skipHeap=true" : o.heapSeconds() == 180 ? "" : " -Dbench.heapSeconds=" + o.heapSeconds()));
		line("```");
		line();
		if (r.failure != null) {
			line("**The run did not finish:** `" + r.failure + "`. The figures below are those measured before.");
			line();
		}
		machine();
		throughput();
		latencies();
		completionsBySize();
		heap();
		seeding();
		targets();
		return out.toString();
	}

	/** The report of a run with -Dbench.only=queries: latencies by size, how the data was seeded, the check's time. */
	private String queriesOnly() {
		Benchmark.Options o = r.options;
		line("# Leadflow benchmarks: query latencies only");
		line();
		line("Written by the benchmark command (`com.leadflow.bench.Benchmark`) on "
				+ ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + "; the run took "
				+ String.format(Locale.ROOT, "%.1f", r.totalSeconds / 60) + " minutes. Rerun it with:");
		line();
		line("```bash");
		line("mvn -Pbench test -Dbench.only=queries -Dbench.sizes=" + join(o.sizes()) + " -Dbench.threads=" + o.threads()
				+ " -Dbench.completions=" + o.completions()
				+ (o.queries().isEmpty() ? "" : " -Dbench.queries=" + String.join(",", o.queries()))
				+ (o.cloneHistory() ? "" : " -Dbench.cloneHistory=false")
				+ (o.bufferPool() == 2L << 30 ? "" : " -Dbench.bufferPool=" + o.bufferPool() / (1L << 20) + "M")
				+ " -Dbench.output=" + o.output());
		line("```");
		line();
		line("Only the query-latency part ran (`-Dbench.only=queries`): no bare engine, no throughput, no heap probe"
				+ (r.kpiDayRows > 0 ? "" : ", no KPI facts") + (o.completionsAtSize() ? "" : ", no completions per size")
				+ ". Leadflow's scheduled consistency check was moved out of the "
				+ "measurements (`leadflow.audit.check-interval` " + Bench.prop("bench.checkInterval", "PT2H")
				+ "); one check per size was run and timed after the latencies.");
		line();
		if (r.failure != null) {
			line("**The run did not finish:** `" + r.failure + "`. The figures below are those measured before.");
			line();
		}
		machine();
		latencies();
		if (r.sizes.stream().anyMatch(s -> s.checkRun != null)) {
			line("| full consistency check (`POST /api/audit/check`) | seconds | result |");
			line("|---|---:|---|");
			for (SizeResult s : r.sizes) {
				if (s.checkRun != null) {
					line(String.format(Locale.ROOT, "| %,d leads | %.1f | %s |", s.leads, s.checkSeconds, s.checkRun));
				}
			}
			line();
		}
		if (o.completionsAtSize()) {
			completionsBySize();
		}
		line("## How the data was seeded");
		line();
		if (r.templateLeads > 0) {
			line(String.format(Locale.ROOT, "- The first %,d leads went through the application's `LeadIntakeService` (%d threads, "
					+ "%.1f leads/s); then up to %,d of their open calls were completed through the API (`NO_ANSWER`) and "
					+ "%,d more reached the lead (`CONTACTED`, an individual touch), so the template holds touched leads and "
					+ "planned follow-ups too.", r.templateLeads, o.threads(), r.serviceSeedRate, o.completions(),
					r.templateLeads / 10));
			line(String.format(Locale.ROOT, "- Larger sizes copy those leads inside the database (`Cloner`, `INSERT … SELECT`, "
					+ "every identifier replaced consistently in every column; the audit's counters and the KPI counters scaled): "
					+ "%d rows per lead: %s.", r.rowsPerLead, rowsPerTable()));
			if (!o.cloneHistory()) {
				line("- **The copies have no engine history.** With `-Dbench.cloneHistory=false` the engine's history tables "
						+ "(`ACT_HI_*`) were not copied: the copies hold every row the application writes (its own tables, and the "
						+ "engine's runtime tables: executions, tasks, jobs, variables, event subscriptions) but none of the "
						+ "engine's history rows. None of the measured queries reads history. Only the template leads have history.");
			}
			copies();
			line();
		}
		line("## Targets");
		line();
		line("| target | measured | met |");
		line("|---|---|:---:|");
		queryTargets();
		line();
		return out.toString();
	}

	private void machine() {
		Benchmark.Options o = r.options;
		line("## Machine, versions, settings");
		line();
		var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		line("| | |");
		line("|---|---|");
		line("| CPU | " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + " |");
		line("| RAM | " + os.getTotalMemorySize() / (1L << 30) + " GB |");
		line("| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " |");
		line("| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
				+ ", max heap of the benchmark JVM " + Runtime.getRuntime().maxMemory() / (1L << 20) + " MB |");
		line("| database | " + r.server + ", " + r.serverVersion + "; InnoDB buffer pool "
				+ (r.bufferPool == null ? "?" : Long.parseLong(r.bufferPool) / (1L << 20) + " MB")
				+ (r.redoLog == null ? "" : ", redo log " + Long.parseLong(r.redoLog) / (1L << 20) + " MB")
				+ ", innodb_flush_log_at_trx_commit=" + r.flushLog + " |");
		line("| versions | Leadflow " + System.getProperty("bench.version", "(unknown)") + ", Camunda "
				+ camundaVersion() + ", Spring Boot " + SpringBootVersion.getVersion() + " |");
		line("| engine settings (bare and Leadflow alike) | history level `audit`, JDBC batch processing on, "
				+ "strong (UUID) id generator, job executor off, metrics off, MySQL Connector/J with the README's URL flags "
				+ "and the mysql profile's statement cache (`cachePrepStmts`), its OpenTelemetry spans off as in the packaged app "
				+ "(`openTelemetry=DISABLED`), READ COMMITTED, Hikari pool of " + o.pool() + " connections |");
		line("| load | " + o.threads() + " client threads for starts, API intake and completions; the CSV import is "
				+ "worked by the application's import worker (its `worker-threads`, 2, share the file) |");
		line("| databases | `" + Benchmark.BARE_DB + "` (bare engine), `" + Benchmark.APP_DB + "` (Leadflow), `"
				+ Benchmark.HEAP_DB + "` (heap run), on the same server, created by the run |");
		line();
		line("Leadflow runs in the benchmark's JVM as the real application (`SpringApplication` of "
				+ "`LeadflowApplication`, profiles `mysql,demo`, a free port) and is driven over HTTP (`java.net.http`, "
				+ "Basic auth) exactly as clients would; the bare engine is a `StandaloneProcessEngineConfiguration` in the same "
				+ "JVM on its own database. Both were warmed up before measuring. The machine is shared with other "
				+ "builds, so absolute figures move between runs (compare the two bare measurements below); the ratios are "
				+ "measured minutes apart in one run.");
		line();
	}

	private void throughput() {
		Benchmark.Options o = r.options;
		line("## Throughput against the bare engine");
		line();
		line("| measure | bare Camunda | Leadflow | ratio | target | met |");
		line("|---|---:|---:|---:|---:|:---:|");
		row("starts / leads per second, API (`POST /api/leads`, " + o.threads() + " threads, " + o.leads() + " leads"
				+ (r.apiRetries.get() > 0 ? ", " + r.apiRetries.get() + " retried after 503" : "") + ")", r.bareStarts,
				r.apiLeads);
		if (r.apiLeadsWithOwner > 0) {
			line(String.format(Locale.ROOT, "| … the same with the owner named by the client (no owner assignment; %d leads) | %.1f | %.1f | %.2f× | – | – |",
					Math.max(100, o.leads() / 2), r.bareStarts, r.apiLeadsWithOwner, r.apiLeadsWithOwner / r.bareStarts));
		}
		row("leads per second, CSV import (`POST /api/leads/import`, " + o.leads() + " rows, until DONE)", r.bareStarts,
				r.importLeads);
		if (r.bareStartsSingle > 0 && r.importLeads > 0) {
			line(String.format(Locale.ROOT, "| … the import (2 worker threads) against bare starts on **one** thread | %.1f | %.1f | %.2f× | – | – |",
					r.bareStartsSingle, r.importLeads, r.importLeads / r.bareStartsSingle));
		}
		row("completions per second (`POST /api/next-actions/{id}/complete`, NO_ANSWER by the assignee, " + o.threads() + " threads, "
				+ o.completions() + " actions" + (r.completionRetries > 0 ? ", " + r.completionRetries + " retried after 503" : "")
				+ ")", r.bareCompletions, r.completions);
		line();
		if (!r.bareRuns.isEmpty()) {
			line("The bare figures are the mean of " + r.bareRuns.size() + " measurements, before and after Leadflow's: "
					+ join(r.bareRuns.stream().map(b -> String.format(Locale.ROOT, "%.1f starts/s (%d threads), %.1f (1 thread), "
							+ "%.1f completions/s", b[0], o.threads(), b[1], b[2])).toList(), "; ") + ".");
			line();
		}
		line("Bare: " + o.leads() + " instances of a one-user-task process (business key, 8 variables) started with "
				+ o.threads() + " threads, then their tasks completed (" + o.completions() + ") with one variable. "
				+ "Leadflow: each lead is a row in `lf_lead`, a history event, the `lead` process with its route called "
				+ "(DMN decision, business calendar, capacity levelling, owner assignment), the next action in the projection and "
				+ "a user task with its overdue timer; a completion records the outcome, its KPI counters, completes the task and "
				+ "plans the next action, all in one transaction. Both were measured with a few thousand open tasks at most"
				+ (r.bareRowsPerStart > 0 ? String.format(Locale.ROOT, "; the engine wrote %.0f rows per bare start and %.0f "
						+ "engine rows (plus %.1f of Leadflow's) per lead", r.bareRowsPerStart, r.engineRowsPerLead,
						leadflowRowsPerLead()) : "") + ".");
		line();
	}

	/**
	 * Rows of Leadflow's own tables per template lead (the copies' row counts leave the engine's history
	 * out with {@code -Dbench.cloneHistory=false}, so the difference to the engine rows would not do).
	 */
	private double leadflowRowsPerLead() {
		long rows = r.templateRows.entrySet()
			.stream()
			.filter(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith("lf_"))
			.mapToLong(Map.Entry::getValue)
			.sum();
		return rows / (double) Math.max(1, r.templateLeads);
	}

	private void row(String name, double bare, double leadflow) {
		if (bare <= 0 && leadflow <= 0) {
			return;
		}
		double ratio = bare > 0 ? leadflow / bare : Double.NaN;
		line(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | ≥ 0.80× | %s |", name, bare, leadflow,
				Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio),
				Double.isNaN(ratio) ? "–" : ratio >= 0.8 ? "yes" : "**no**"));
	}

	/** A line per copied size: how long the copy took, and how the server wrote it out before the queries. */
	private void copies() {
		for (SizeResult s : r.sizes) {
			if (s.cloneSeconds > 0) {
				line(String.format(Locale.ROOT, "  - to %,d leads: %.0f s (%.0f leads/s, %.0f rows/s)%s", s.leads,
						s.cloneSeconds, (s.leads - r.templateLeads) / s.cloneSeconds,
						(s.leads - r.templateLeads) * r.rowsPerLead / s.cloneSeconds,
						s.settle == null ? "" : "; then the server wrote the copy out before the queries (" + s.settle + ")"));
			}
		}
	}

	private void latencies() {
		if (r.sizes.isEmpty()) {
			return;
		}
		line("## Query latencies by database size");
		line();
		line("Median / 95th percentile in milliseconds, measured at the client over " + r.options.samples()
				+ " sequential requests after " + r.options.warmup() + " warm-up requests (5 samples when a request took "
				+ "over 2 s). After each copy the run waited for the server to write it out, its dirty pages flushed and its undo "
				+ "history purged (below " + String.format(Locale.ROOT, "%,d and %,d", BenchDb.QUIET_DIRTY_PAGES, BenchDb.QUIET_HISTORY)
				+ ", or until `-Dbench.settleSeconds` ran out; *How the data was seeded* says which), as a database in use is, "
				+ "not in the middle of a bulk write."
				+ (r.kpiDayRows == 0 ? "" : " KPI range: the previous quarter ("
						+ Benchmark.previousQuarter()[0] + " – " + Benchmark.previousQuarter()[1] + "), "
						+ String.format(Locale.ROOT, "%,d", r.options.kpiFacts()) + " KPI facts of a " + r.options.kpiReps()
						+ "-rep team (" + String.format(Locale.ROOT, "%,d", r.kpiDayRows) + " `lf_kpi_day` rows)."));
		line();
		StringBuilder header = new StringBuilder("| query |");
		StringBuilder sep = new StringBuilder("|---|");
		for (SizeResult s : r.sizes) {
			header.append(String.format(Locale.ROOT, " %,d leads |", s.leads));
			sep.append("---:|");
		}
		header.append(" growth first → last (median) | target (median at 1,000,000) |");
		sep.append("---:|---|");
		line(header.toString());
		line(sep.toString());
		for (String query : List.of(INBOX, INBOX_PAGE, AUDIT, NO_NEXT, KPI_TEAM, KPI_REP)) {
			if (!r.options.measures(query)) {
				continue;
			}
			StringBuilder row = new StringBuilder("| " + query + " |");
			for (SizeResult s : r.sizes) {
				Bench.Latency l = s.latencies.get(query);
				row.append(l != null ? String.format(Locale.ROOT, " %.1f / %.1f |", l.median(), l.p95())
						: s.errors.containsKey(query) ? " failed¹ |" : " – |");
			}
			Bench.Latency first = r.sizes.get(0).latencies.get(query);
			Bench.Latency last = r.sizes.get(r.sizes.size() - 1).latencies.get(query);
			row.append(first == null || last == null || r.sizes.size() < 2 ? " – |"
					: String.format(Locale.ROOT, " %.1f× |", last.median() / first.median()));
			Double target = TARGETS.get(query);
			row.append(target == null ? " – |" : String.format(Locale.ROOT, " < %.0f ms, growth < 2× |", target));
			line(row.toString());
		}
		line();
		for (SizeResult s : r.sizes) {
			s.errors.forEach((query, error) -> line("¹ " + query + " at " + String.format(Locale.ROOT, "%,d", s.leads)
					+ " leads: `" + error.replace('`', '\'') + "`"));
		}
		if (r.sizes.stream().anyMatch(s -> !s.errors.isEmpty())) {
			line();
		}
		line("| database | " + r.sizes.stream().map(s -> String.format(Locale.ROOT, "%,d leads", s.leads))
			.reduce((a, b) -> a + " | " + b).orElse("") + " |");
		line("|---|" + "---:|".repeat(r.sizes.size()));
		line("| open next actions | " + join(r.sizes.stream().map(s -> String.format(Locale.ROOT, "%,d", s.openActions)).toList(), " | ")
				+ " |");
		line("| open engine tasks (`ACT_RU_TASK`) | " + join(r.sizes.stream().map(s -> String.format(Locale.ROOT, "%,d", s.openTasks)).toList(), " | ")
				+ " |");
		line("| history events (`lf_lead_event`) | " + join(r.sizes.stream().map(s -> String.format(Locale.ROOT, "%,d", s.events)).toList(), " | ")
				+ " |");
		line("| size on disk (data + indexes) | " + join(r.sizes.stream().map(s -> String.format(Locale.ROOT, "%,d MB", s.databaseMb)).toList(), " | ")
				+ " |");
		line();
		SizeResult last = r.sizes.get(r.sizes.size() - 1);
		if (last.auditSummary != null) {
			line("`GET /api/audit` at " + String.format(Locale.ROOT, "%,d", last.leads) + " leads answered `"
					+ last.auditSummary.replaceAll("\\s+", "") + "`.");
			line();
		}
	}

	private void completionsBySize() {
		if (r.sizes.isEmpty()) {
			return;
		}
		line("## Completions as the database grows, and the engine index Leadflow adds");
		line();
		line("Completing a task makes the engine run `SELECT … FROM ACT_RU_TASK WHERE PARENT_TASK_ID_ = ?`, a column "
				+ "Camunda's MySQL (and H2) schema does not index. Leadflow adds the index `" + Benchmark.PARENT_TASK_INDEX
				+ "` when the engine starts (`EngineIndexesPlugin`; present in this run: " + (r.parentIndexPresent ? "yes" : "**no**")
				+ "). At each size the benchmark completed up to " + r.options.sizeCompletions() + " random open calls ("
				+ r.options.threads() + " threads, at most " + r.options.sizeCompletionSeconds() + " s) with the index, then "
				+ "dropped it, measured again, and created it again.");
		line();
		line("| completions per second | " + join(r.sizes.stream().map(s -> String.format(Locale.ROOT, "%,d leads", s.leads)).toList(), " | ") + " |");
		line("|---|" + "---:|".repeat(r.sizes.size()));
		line("| with `" + Benchmark.PARENT_TASK_INDEX + "` | "
				+ join(r.sizes.stream().map(s -> String.format(Locale.ROOT, "%.1f", s.completionsWithIndex)).toList(), " | ") + " |");
		line("| without it (Camunda's schema as shipped) | "
				+ join(r.sizes.stream().map(s -> Double.isNaN(s.completionsWithoutIndex) ? "–"
						: String.format(Locale.ROOT, "%.1f", s.completionsWithoutIndex)).toList(), " | ") + " |");
		line("| ratio to the bare engine (with the index) | "
				+ join(r.sizes.stream().map(s -> r.bareCompletions <= 0 ? "–"
						: String.format(Locale.ROOT, "%.2f×", s.completionsWithIndex / r.bareCompletions)).toList(), " | ") + " |");
		line();
	}

	private void heap() {
		line("## Heap during a " + String.format(Locale.ROOT, "%,d", r.options.heapRows()) + "-row import");
		line();
		if (r.heapLine == null) {
			line(r.heapExit == null ? "Not run (`-Dbench.skipHeap=true`)."
					: "The child JVM (`-Xmx512m -XX:+ExitOnOutOfMemoryError`) exited with code " + r.heapExit
							+ " and no result" + (r.heapExit == 3 ? ": **out of memory**." : "."));
			line();
			return;
		}
		Map<String, String> h = parse(r.heapLine);
		long max = Long.parseLong(h.get("maxHeap"));
		long used = Long.parseLong(h.get("peakUsed"));
		long live = Long.parseLong(h.get("peakLive"));
		int rows = Integer.parseInt(h.get("rows"));
		int processed = Integer.parseInt(h.get("processed"));
		String status = h.get("status");
		double elapsed = Long.parseLong(h.get("elapsedMs")) / 1000.0;
		line("The application ran in a **child JVM with `-Xmx512m`** (`ImportHeapProbe`, heap limit reported by the JVM: "
				+ max / (1L << 20) + " MB, `-XX:+ExitOnOutOfMemoryError`), on its own database. One CSV file of "
				+ String.format(Locale.ROOT, "%,d", rows) + " rows was uploaded (`POST /api/leads/import`, accepted in "
				+ Long.parseLong(h.get("uploadMs")) / 1000.0 + " s: the whole file is checked and stored before the 202) and "
				+ "followed with `GET /api/imports/{id}`.");
		line();
		line("| | |");
		line("|---|---:|");
		line("| highest heap in use (sampled every 20 ms, garbage included) | " + used / (1L << 20) + " MB |");
		line("| highest heap left after a garbage collection (live data) | " + live / (1L << 20) + " MB |");
		line(String.format(Locale.ROOT, "| rows worked when the measurement ended | %,d of %,d (%s after %.0f s) |", processed,
				rows, status, elapsed));
		line();
		if (!"DONE".equals(status)) {
			double rate = processed / Math.max(1.0, elapsed - Long.parseLong(h.get("uploadMs")) / 1000.0);
			line(String.format(Locale.ROOT, "The import was not followed to the end within the run's time budget "
					+ "(`-Dbench.heapSeconds=%d`): at %.0f rows/s the remaining %,d rows take about %.0f more minutes. The rows "
					+ "are worked in chunks of `leadflow.import.chunk-size` (200) with nothing kept between chunks, so the "
					+ "heap of the rest of the import is expected to stay at the level measured; raise `-Dbench.heapSeconds` to follow it to the "
					+ "end.", r.options.heapSeconds(), rate, rows - processed, (rows - processed) / Math.max(rate, 0.001) / 60));
			line();
		}
	}

	private void seeding() {
		line("## How the data was seeded");
		line();
		Benchmark.Options o = r.options;
		if (r.templateLeads > 0) {
			line(String.format(Locale.ROOT, "- The first %,d leads went through the application: %,d warm-up and %,d measured "
					+ "`POST /api/leads`, %,d through the CSV import, the rest through `LeadIntakeService` (the service behind "
					+ "both) with %d threads at %.1f leads/s. %,d actions were completed through the API (`NO_ANSWER`) and %,d "
					+ "more reached the lead (`CONTACTED`, an individual touch, which the KPI touch coverage counts).",
					r.templateLeads, 100, o.leads(), o.leads(), o.threads(), r.serviceSeedRate, o.completions(),
					r.templateLeads / 10));
			line(String.format(Locale.ROOT, "- Larger sizes copy those leads inside the database (`Cloner`, `INSERT … SELECT`): "
					+ "every row they wrote (%d rows per lead: %s) is copied with every identifier replaced consistently in every "
					+ "column (ids, foreign keys, business keys, variables holding a lead or action id); external id and email get "
					+ "a copy suffix; the daily KPI counters of the copied events are scaled. A copy is what the application would "
					+ "have written for the same lead handed in again (same owner, due date and history). The copies are worked "
					+ "by the application like any lead: the completions above pick random open actions, copies included.",
					r.rowsPerLead, rowsPerTable()));
			copies();
			line(String.format(Locale.ROOT, "- KPI facts: %,d completed calls and emails of %d reps over the previous "
					+ "quarter's working days, recorded through the application's history (`LeadEvents`), whose KPI listener "
					+ "wrote the daily counters (%,d `lf_kpi_day` rows) as for real work, at %.0f events/s.", o.kpiFacts(),
					o.kpiReps(), r.kpiDayRows, r.kpiSeedRate));
			line("- The team: the demo users plus `rep1` … `rep" + o.kpiReps() + "` in group `reps`; new leads are assigned "
					+ "to the least-loaded rep by the application.");
			line();
		}
	}

	private String rowsPerTable() {
		return join(r.templateRows.entrySet().stream()
			.map(e -> "`" + e.getKey() + "` " + String.format(Locale.ROOT, "%.1f", (double) e.getValue() / r.templateLeads))
			.toList(), ", ");
	}

	private void targets() {
		line("## Targets");
		line();
		line("| target | measured | met |");
		line("|---|---|:---:|");
		ratioTarget("API intake ≥ 0.8× bare starts", r.apiLeads, r.bareStarts);
		ratioTarget("CSV import ≥ 0.8× bare starts", r.importLeads, r.bareStarts);
		ratioTarget("completion ≥ 0.8× bare completion", r.completions, r.bareCompletions);
		queryTargets();
		if (r.heapLine != null) {
			Map<String, String> h = parse(r.heapLine);
			boolean done = "DONE".equals(h.get("status"));
			line(String.format(Locale.ROOT, "| 100,000-row import within 512 MB of heap | peak %d MB in use, %d MB live; %s | %s |",
					Long.parseLong(h.get("peakUsed")) >> 20, Long.parseLong(h.get("peakLive")) >> 20,
					done ? "import DONE" : h.get("processed") + " rows worked, then stopped by the time budget",
					done ? "yes" : "yes, as far as run"));
		}
		line();
		why();
		String notes = System.getProperty("bench.notes");
		if (notes != null && Files.exists(Path.of(notes))) {
			try {
				line(Files.readString(Path.of(notes)));
			}
			catch (Exception ex) {
				// the figures stand without the notes
			}
		}
	}

	/** One row per measured query: its median at the largest size against the target, and the growth. */
	private void queryTargets() {
		if (!r.sizes.isEmpty()) {
			SizeResult first = r.sizes.get(0);
			SizeResult last = r.sizes.get(r.sizes.size() - 1);
			boolean million = last.leads >= 1_000_000;
			for (String query : List.of(INBOX, INBOX_PAGE, AUDIT, NO_NEXT, KPI_TEAM, KPI_REP)) {
				Bench.Latency l = last.latencies.get(query);
				Bench.Latency f = first.latencies.get(query);
				if (l == null) {
					if (last.errors.containsKey(query)) {
						line("| " + query + ": median < " + TARGETS.get(query).intValue() + " ms at 1,000,000 leads | failed (see above) | **no** |");
					}
					continue;
				}
				double target = TARGETS.get(query);
				double growth = l.median() / f.median();
				boolean met = l.median() < target && (r.sizes.size() < 2 || growth < 2);
				if (f == null) {
					continue;
				}
				line(String.format(Locale.ROOT, "| %s: median < %.0f ms at 1,000,000 leads, growth < 2× | %.1f ms at %,d leads, "
						+ "%.1f× from %,d | %s |", query, target, l.median(), last.leads, growth, first.leads,
						met ? (million ? "yes" : "yes at " + String.format(Locale.ROOT, "%,d", last.leads) + " (1,000,000 not run)")
								: "**no**"));
			}
		}
	}

	/** Why a target is missed, from what the code does (each paragraph only when its target was missed). */
	private void why() {
		StringBuilder text = new StringBuilder();
		boolean intake = r.bareStarts > 0 && (r.apiLeads / r.bareStarts < 0.8 || r.importLeads / r.bareStarts < 0.8);
		if (intake) {
			text.append(String.format(Locale.ROOT, "- **Intake (API and import) against bare starts.** A lead is much more "
					+ "work than the baseline's start: the `lead` process and its route (call activity), a DMN decision "
					+ "(its results remembered per decision version and inputs, README \"Performance tuning\"), about 15 "
					+ "activity instances, %.1f process variables at rest, an overdue timer and two message subscriptions: %.0f "
					+ "engine rows per "
					+ "lead against %.0f per bare start, plus Leadflow's own rows (lead, history event, next action), the "
					+ "dedupe reads, the owner-assignment and capacity queries, and the HTTP request with its JSON and "
					+ "authentication. On 2 cores this is CPU-bound: in a JFR CPU profile of the API intake most samples are "
					+ "in the engine, MyBatis and Connector/J writing and reading those rows, so the ratio stays near the "
					+ "ratio of work. Concurrent intakes do not wait for each other on the picked rep's row (each skips a rep "
					+ "whose `lf_rep` row another intake holds): %.1f leads/s with assignment, %.1f with the owner named by "
					+ "the client. The import works a file on the node's `leadflow.import.worker-threads` (2) threads, one "
					+ "transaction per row, against the bare engine's 8 client threads.\n",
					r.variablesPerLead, r.engineRowsPerLead, r.bareRowsPerStart, r.apiLeads, r.apiLeadsWithOwner));
		}
		if (r.bareCompletions > 0 && r.completions / r.bareCompletions < 0.8) {
			text.append("- **Completion.** Leadflow's completion is the engine's completion plus, in the same transaction: "
					+ "the lead's row lock, the history event and its KPI counter, the DMN decision, due-date planning "
					+ "(business calendar, capacity counts), the new projection row, the next user task with its timer and "
					+ "message subscription, and the invariant check.\n");
		}
		SizeResult last = r.sizes.isEmpty() ? null : r.sizes.get(r.sizes.size() - 1);
		if (last != null && last.latencies.containsKey(AUDIT) && last.latencies.get(AUDIT).median() >= 50) {
			text.append("- **`GET /api/audit` and no-next-action.** Both read stored answers: the counts from the audit's "
					+ "sharded counters (`lf_audit_owner_count`, `lf_audit_hour_count`) plus one indexed count of the current "
					+ "hour, the list from the findings table (`lf_audit_finding`) kept by the re-check of the leads the engine "
					+ "marked. A median above the target at this size comes from the database server (buffer pool smaller than "
					+ "the data, a re-check running meanwhile), not from a scan: neither reads more rows at a larger size.\n");
		}
		if (last != null && r.sizes.size() > 1 && (exceeds(last, KPI_TEAM, 100) || grows(KPI_TEAM) || exceeds(last, KPI_REP, 100)
				|| grows(KPI_REP))) {
			text.append("- **`GET /api/kpis` for a quarter.** The counts come from `lf_kpi_day` (one row per day, rep and "
					+ "route; its size does not depend on the number of leads) and the touch coverage from the counters of "
					+ "touched leads per owner and hour (`lf_audit_touch_count`) plus one indexed count of the cut-off's hour; "
					+ "neither reads more rows at a larger size, so a median above the target comes from the database server "
					+ "(buffer pool smaller than the data, other work meanwhile).\n");
		}
		if (last != null && last.latencies.containsKey(INBOX_PAGE) && last.latencies.get(INBOX_PAGE).median() >= 50) {
			text.append("- **The `/inbox` page.** Each section reads its first rows (100 overdue, 100 of today, 30 "
					+ "upcoming) from the `(assignee, status, due_at)` index and counts the rest up to 1,000; the rows' "
					+ "leads and last outcomes are two batched reads, the call progress the day's KPI counter. What is left "
					+ "is rendering up to 230 rows with Thymeleaf and the per-request reads (session, groups), not broken "
					+ "down here.\n");
		}
		if (last != null && last.leads < 1_000_000) {
			double mbPerLead = last.databaseMb / (double) Math.max(1, last.leads);
			double cloneRate = last.cloneSeconds > 0 ? (last.leads - r.templateLeads) / last.cloneSeconds : 0;
			long freeGb = new java.io.File(".").getUsableSpace() >> 30;
			text.append(String.format(Locale.ROOT, "- **1,000,000 leads were not run here.** Each lead takes about %.0f KB "
					+ "on disk (%,d MB at %,d leads, engine runtime and history included), so a million needs about %.0f GB; "
					+ "this machine has %d GB free. Copying runs at about %.0f leads/s, so the remaining %,d leads would take "
					+ "about %.0f minutes. The command does it with `-Dbench.sizes=10000,100000,1000000` on a machine with the "
					+ "disk for it (`LEADFLOW_BENCH_MYSQL_URL` can point at a bigger server). Expected from the growth measured "
					+ "here: the audit endpoints grow linearly (about a minute at a million), the KPI team answer grows with "
					+ "the touch-coverage count over all active leads (about 2× per 10× leads measured), the inbox API and the "
					+ "rep's KPIs read index ranges bounded by the page size or the rep's own leads.\n", mbPerLead * 1024, last.databaseMb, last.leads, mbPerLead * 1_000_000 / 1024, freeGb,
					cloneRate, 1_000_000 - last.leads, cloneRate > 0 ? (1_000_000 - last.leads) / cloneRate / 60 : Double.NaN));
		}
		if (!text.isEmpty()) {
			line("### Why targets are not met");
			line();
			out.append(text);
			line();
		}
	}

	private static boolean exceeds(SizeResult size, String query, double limit) {
		return size.latencies.containsKey(query) && size.latencies.get(query).median() >= limit;
	}

	private boolean grows(String query) {
		Bench.Latency f = r.sizes.get(0).latencies.get(query);
		Bench.Latency l = r.sizes.get(r.sizes.size() - 1).latencies.get(query);
		return f != null && l != null && l.median() / f.median() >= 2;
	}

	private void ratioTarget(String name, double value, double bare) {
		if (value <= 0 || bare <= 0) {
			return;
		}
		double ratio = value / bare;
		line(String.format(Locale.ROOT, "| %s | %.1f / %.1f = %.2f× | %s |", name, value, bare, ratio, ratio >= 0.8 ? "yes" : "**no**"));
	}

	private static Map<String, String> parse(String heapLine) {
		Map<String, String> map = new java.util.LinkedHashMap<>();
		Matcher m = Pattern.compile("(\\w+)=(\\S*)").matcher(heapLine);
		while (m.find()) {
			map.put(m.group(1), m.group(2));
		}
		return map;
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter(l -> l.startsWith("model name"))
				.findFirst()
				.map(l -> l.substring(l.indexOf(':') + 1).trim())
				.orElse("?");
		}
		catch (Exception ex) {
			return System.getProperty("os.arch");
		}
	}

	private static String camundaVersion() {
		String v = ProcessEngine.class.getPackage().getImplementationVersion();
		return v != null ? v : System.getProperty("bench.camunda", "(unknown)");
	}

	private static String join(List<?> items) {
		return join(items, ",");
	}

	private static String join(List<?> items, String sep) {
		return String.join(sep, items.stream().map(String::valueOf).toList());
	}

	private void line(String text) {
		out.append(text).append('\n');
	}

	private void line() {
		out.append('\n');
	}

}
