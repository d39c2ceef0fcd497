package com.leadflow.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.scheduling.BusinessCalendar;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.boot.SpringBootVersion;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leadflow's benchmark command (README, "Benchmark"): in one run, on one MySQL-protocol server, the
 * bare Camunda engine and Leadflow side by side, query latencies at growing database sizes, and the
 * heap of a 100,000-row import in a 512 MB JVM. Writes {@code BENCHMARKS.md}.
 *
 * <p>Options are system properties ({@code -Dbench.sizes=10000,100000,1000000} etc., see {@link Options}).
 */
public final class Benchmark {

	static final String APP_DB = "lfbench_app";

	static final String BARE_DB = "lfbench_bare";

	static final String HEAP_DB = "lfbench_heap";

	/** Name of the index on ACT_RU_TASK.PARENT_TASK_ID_ that Leadflow adds to the engine's schema. */
	static final String PARENT_TASK_INDEX = "LF_IDX_TASK_PARENT";

	static final ZoneId TEAM_ZONE = ZoneId.of("Asia/Tokyo");

	/** The name {@code -Dbench.queries} matches to measure completions at each size in a queries-only run. */
	static final String COMPLETIONS_AT_SIZE = "completions at size";

	/** Rows per started bare instance (with its task open), for the report. */
	static final java.util.concurrent.atomic.AtomicReference<Double> BARE_ROWS = new java.util.concurrent.atomic.AtomicReference<>(0.0);

	/** Completions the client had to retry after a 503. */
	static final AtomicInteger RETRIES = new AtomicInteger();

	/** What can be changed with -Dbench.*=… */
	record Options(List<Integer> sizes, int threads, int leads, int completions, int samples, int warmup, int kpiFacts,
			int kpiReps, int heapRows, int heapSeconds, int sizeCompletions, int sizeCompletionSeconds, int pool,
			long bufferPool, Path output, boolean keep, boolean bare, boolean heap, int appSeedMax, boolean queriesOnly,
			List<String> queries, boolean cloneHistory, int settleSeconds) {

		static Options fromSystemProperties() {
			List<Integer> sizes = Arrays.stream(Bench.prop("bench.sizes", "10000,100000,1000000").split(","))
				.map(s -> Integer.parseInt(s.trim().replace("_", "")))
				.sorted()
				.toList();
			int leads = Bench.intProp("bench.leads", 2000);
			return new Options(sizes, Bench.intProp("bench.threads", 8), leads, Bench.intProp("bench.completions", leads),
					Bench.intProp("bench.samples", 30), Bench.intProp("bench.warmup", 5),
					Bench.intProp("bench.kpiFacts", 200_000), Bench.intProp("bench.kpiReps", 50),
					Bench.intProp("bench.heapRows", 100_000), Bench.intProp("bench.heapSeconds", 180),
					Bench.intProp("bench.sizeCompletions", 200), Bench.intProp("bench.sizeCompletionSeconds", 30),
					Bench.intProp("bench.pool", 20), bytes(Bench.prop("bench.bufferPool", "2G")),
					Path.of(Bench.prop("bench.output", "BENCHMARKS.md")), Boolean.parseBoolean(Bench.prop("bench.keep", "false")),
					!Boolean.parseBoolean(Bench.prop("bench.skipBare", "false")),
					!Boolean.parseBoolean(Bench.prop("bench.skipHeap", "false")), Bench.intProp("bench.appSeedMax", 10_000),
					"queries".equals(Bench.prop("bench.only", "all")),
					Arrays.stream(Bench.prop("bench.queries", "").split(",")).map(String::trim).filter(q -> !q.isEmpty()).toList(),
					Boolean.parseBoolean(Bench.prop("bench.cloneHistory", "true")), Bench.intProp("bench.settleSeconds", 900));
		}

		/**
		 * Whether completions are measured at each size: always in a full run; with {@code -Dbench.only=queries}
		 * only when {@code -Dbench.queries} names them ({@code completions}).
		 */
		boolean completionsAtSize() {
			return !queriesOnly || (!queries.isEmpty() && measures(COMPLETIONS_AT_SIZE));
		}

		/** Whether a query is measured ({@code -Dbench.queries=audit,inbox}: names containing one of the words). */
		boolean measures(String query) {
			return queries.isEmpty() || queries.stream().anyMatch(q -> query.toLowerCase().contains(q.toLowerCase()));
		}

		static long bytes(String value) {
			String v = value.trim().toUpperCase();
			long factor = v.endsWith("G") ? 1L << 30 : v.endsWith("M") ? 1L << 20 : 1;
			return Long.parseLong(v.replaceAll("[GM]$", "")) * factor;
		}

	}

	public static void main(String[] args) throws Exception {
		TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
		Options options = Options.fromSystemProperties();
		Results results = new Results(options);
		long t0 = System.nanoTime();
		BenchDb db = BenchDb.start();
		results.server = db.describe();
		results.serverVersion = db.version();
		db.setBufferPool(options.bufferPool(), Options.bytes(Bench.prop("bench.redoLog", "1G")));
		results.bufferPool = db.variable("innodb_buffer_pool_size");
		results.flushLog = db.variable("innodb_flush_log_at_trx_commit");
		results.redoLog = db.variable("innodb_log_file_size");
		Bench.log("database: " + results.server + ", " + results.serverVersion + ", buffer pool " + results.bufferPool);
		try {
			leadflow(db, options, results);
			if (options.heap() && !options.queriesOnly()) {
				heap(db, options, results);
			}
		}
		catch (Throwable ex) {
			results.failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			ex.printStackTrace();
		}
		finally {
			results.totalSeconds = (System.nanoTime() - t0) / 1e9;
			Files.writeString(options.output(), new Report(results).markdown(), StandardCharsets.UTF_8);
			Bench.log("wrote " + options.output().toAbsolutePath());
			if (!options.keep()) {
				db.drop(BARE_DB);
				db.drop(APP_DB);
				db.drop(HEAP_DB);
			}
		}
		System.exit(results.failure == null ? 0 : 1);
	}

	// ------------------------------------------------------------------------------------------------
	// Bare engine
	// ------------------------------------------------------------------------------------------------

	/**
	 * The baseline is measured twice, before and after Leadflow's throughput phase (the engine stays open
	 * meanwhile), and the ratios use the mean, so drift of a shared machine between the two hits both sides.
	 */
	static BareEngine bareOpen(BenchDb db, Options options) throws Exception {
		db.recreate(BARE_DB);
		BareEngine bare = new BareEngine(db.url(BARE_DB), db.user, db.password, options.pool(), "audit");
		// Warm-up: the engine's code is compiled by the JIT while it runs; with 200 starts the first measurement
		// came out at about half the second (measured after Leadflow's phases had warmed the shared engine code).
		int warmup = Bench.intProp("bench.bareWarmup", 2000);
		bare.start(warmup, options.threads());
		try (Connection c = db.open(BARE_DB)) {
			BARE_ROWS.set(BareEngine.rowsPerInstance(c));
		}
		bare.complete(warmup, options.threads());
		return bare;
	}

	static void bareMeasure(BareEngine bare, Options options, Results results) throws Exception {
		Bench.log("bare engine: " + options.leads() + " starts and completions, " + options.threads() + " threads");
		long nanos = bare.start(options.leads(), options.threads());
		double starts = Bench.perSecond(options.leads(), nanos);
		int single = Math.max(100, options.leads() / 4);
		double startsSingle = Bench.perSecond(single, bare.start(single, 1));
		long[] completed = bare.complete(options.completions() + single, options.threads());
		double completions = Bench.perSecond(completed[0], completed[1]);
		results.bareRuns.add(new double[] { starts, startsSingle, completions });
		results.bareStarts = results.bareRuns.stream().mapToDouble(b -> b[0]).average().orElse(0);
		results.bareStartsSingle = results.bareRuns.stream().mapToDouble(b -> b[1]).average().orElse(0);
		results.bareCompletions = results.bareRuns.stream().mapToDouble(b -> b[2]).average().orElse(0);
		Bench.log(String.format("bare: %.1f starts/s (%d threads), %.1f starts/s (1 thread), %.1f completions/s", starts,
				options.threads(), startsSingle, completions));
	}

	// ------------------------------------------------------------------------------------------------
	// Leadflow
	// ------------------------------------------------------------------------------------------------

	static void leadflow(BenchDb db, Options options, Results results) throws Exception {
		BareEngine bare = null;
		if (options.bare() && !options.queriesOnly()) {
			bare = bareOpen(db, options);
			bareMeasure(bare, options, results);
		}
		db.recreate(APP_DB);
		Bench.log("Leadflow: starting the application on " + APP_DB);
		long t0 = System.nanoTime();
		try (LeadflowApp app = LeadflowApp.start(db.url(APP_DB), db.user, db.password, options.pool())) {
			results.appStartSeconds = (System.nanoTime() - t0) / 1e9;
			createTeam(app, options.kpiReps());
			Http http = new Http(app.port, options.threads());
			results.parentIndexPresent = indexExists(db);

			if (!options.queriesOnly()) {
				throughput(db, http, options, results, bare);
				bare = null;
			}

			int first = options.sizes().get(0);
			long have = count(db, "SELECT COUNT(*) FROM lf_lead");
			if (first > have) {
				if (first > options.appSeedMax()) {
					throw new IllegalStateException("the smallest size (" + first + ") is above bench.appSeedMax ("
							+ options.appSeedMax() + "): the template for the copies is seeded through the application");
				}
				Bench.log("seeding through the application's intake service to " + first + " leads");
				long seedNanos = seedThroughServices(app, (int) (first - have), options.threads());
				results.serviceSeedRate = Bench.perSecond(first - have, seedNanos);
				Bench.log(String.format("seeded %d leads through LeadIntakeService at %.1f leads/s", first - have,
						results.serviceSeedRate));
			}
			if (options.queriesOnly()) {
				// Some worked leads in the template too (touched, next calls, content steps), not measured.
				Bench.log("completing " + options.completions() + " actions for the template");
				completeActions(db, http, options.completions(), options.threads(), Long.MAX_VALUE);
			}
			// Touched leads in the template (a tenth of it), so the copies hold touches the KPI touch coverage counts.
			int touches = first / 10;
			Bench.log("contacting " + touches + " leads of the template (CONTACTED, one hearing item)");
			completeActions(db, http, touches, options.threads(), Long.MAX_VALUE, CONTACTED);
			// The audit re-checks the leads the engine marked; the template is copied once it has done so.
			drainAudit(http);
			Cloner cloner = new Cloner(db, APP_DB, options.cloneHistory());
			cloner.snapshot();
			results.templateLeads = cloner.templateLeads;
			results.rowsPerLead = cloner.rowsPerLead();
			results.bareRowsPerStart = BARE_ROWS.get();
			// Runtime and history rows, as for the bare start (the copies may leave history out; the leads wrote it).
			try (Connection c = db.open(APP_DB)) {
				results.engineRowsPerLead = BareEngine.engineRows(c) / (double) Math.max(1, cloner.templateLeads);
				try (java.sql.Statement st = c.createStatement();
						java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ACT_RU_VARIABLE")) {
					rs.next();
					results.variablesPerLead = rs.getLong(1) / (double) Math.max(1, cloner.templateLeads);
				}
			}
			results.templateRows = cloner.templateRows();
			Bench.log("template: " + cloner.templateLeads + " leads, " + cloner.rowsPerLead() + " rows per lead");

			// The KPI queries read the facts: seeded for them also when only the queries are measured.
			if (!options.queriesOnly() || options.measures("GET /api/kpis")) {
				Bench.log("KPI facts: " + options.kpiFacts() + " history events for " + options.kpiReps() + " reps");
				long kpiNanos = seedKpiFacts(app, db, options);
				results.kpiSeedRate = Bench.perSecond(options.kpiFacts(), kpiNanos);
				results.kpiDayRows = count(db, "SELECT COUNT(*) FROM lf_kpi_day");
				Bench.log(String.format("KPI facts at %.0f events/s, %d lf_kpi_day rows", results.kpiSeedRate,
						results.kpiDayRows));
			}

			for (int size : options.sizes()) {
				SizeResult r = new SizeResult(size);
				long seedNanos = cloner.growTo(size, 3);
				r.cloneSeconds = seedNanos / 1e9;
				r.leads = count(db, "SELECT COUNT(*) FROM lf_lead");
				r.openActions = count(db, "SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN'");
				r.openTasks = count(db, "SELECT COUNT(*) FROM ACT_RU_TASK");
				r.events = count(db, "SELECT COUNT(*) FROM lf_lead_event");
				r.databaseMb = count(db, "SELECT ROUND(SUM(data_length + index_length) / 1048576) FROM information_schema.tables "
						+ "WHERE table_schema = DATABASE() AND table_name NOT LIKE 'bench%'");
				if (seedNanos > 0) {
					Bench.log(String.format("copied to %d leads in %.0f s (%.0f leads/s)", r.leads, r.cloneSeconds,
							(r.leads - results.templateLeads) / Math.max(0.001, r.cloneSeconds)));
					r.settle = db.settle(options.settleSeconds());
					Bench.log("  settled: " + r.settle);
				}
				measureQueries(http, options, r);
				if (options.queriesOnly()) {
					measureCheck(http, r);
				}
				if (options.completionsAtSize()) {
					measureCompletionsAtSize(db, app, http, options, r);
				}
				// Only a size that was measured is reported (a run stopped while copying leaves no empty column).
				results.sizes.add(r);
				results.writeProgress();
			}
		}
	}

	/** Intake, import and completion throughput of Leadflow (and the bare engine's second measurement). */
	static void throughput(BenchDb db, Http http, Options options, Results results, BareEngine bare) throws Exception {
		// Warm-up of the API path, not measured.
		intake(http, "warmup", 100, options.threads(), results);

		Bench.log("API intake: " + options.leads() + " leads, " + options.threads() + " threads");
		long nanos = intake(http, "api", options.leads(), options.threads(), results);
		results.apiLeads = Bench.perSecond(options.leads(), nanos);
		Bench.log(String.format("API intake: %.1f leads/s (%d retried after 503)", results.apiLeads,
				results.apiRetries.get()));

		int withOwner = Math.max(100, options.leads() / 2);
		long ownerNanos = intake(http, "owner", withOwner, options.threads(), results, options.kpiReps());
		results.apiLeadsWithOwner = Bench.perSecond(withOwner, ownerNanos);
		Bench.log(String.format("API intake with the owner named by the client: %.1f leads/s", results.apiLeadsWithOwner));

		Bench.log("CSV import: " + options.leads() + " rows");
		results.importLeads = importRate(http, options.leads());
		Bench.log(String.format("import: %.1f leads/s", results.importLeads));

		Bench.log("completions: " + options.completions() + ", " + options.threads() + " threads");
		long[] done = completeActions(db, http, options.completions(), options.threads(), Long.MAX_VALUE);
		results.completions = Bench.perSecond(done[0], done[1]);
		results.completionRetries = RETRIES.get();
		if (bare != null) {
			bareMeasure(bare, options, results);
			bare.close();
		}
		Bench.log(String.format("completions: %.1f/s", results.completions));
	}

	static long intake(Http http, String batch, int n, int threads, Results results) throws Exception {
		return intake(http, batch, n, threads, results, 0);
	}

	/** {@code owners} &gt; 0: the client names the owner (rep1 … repN in turn) instead of leaving it to assignment. */
	static long intake(Http http, String batch, int n, int threads, Results results, int owners) throws Exception {
		AtomicInteger next = new AtomicInteger();
		return Bench.parallel(threads, () -> {
			int i;
			while ((i = next.getAndIncrement()) < n) {
				String body = LeadData.json(batch, i);
				if (owners > 0) {
					body = body.substring(0, body.length() - 1) + ",\"owner\":\"rep" + (1 + i % owners) + "\"}";
				}
				for (int attempt = 1;; attempt++) {
					HttpResponse<String> response = http.postJson("/api/leads", "marketing", body);
					if (response.statusCode() == 503 && attempt < 5) {
						// What API.md asks of a client: retry a 503 (the intake is idempotent on externalId).
						results.apiRetries.incrementAndGet();
						Thread.sleep(100L * attempt);
						continue;
					}
					Http.check(response, 201, 200);
					break;
				}
			}
		});
	}

	static double importRate(Http http, int rows) throws Exception {
		return importRate(http, rows, "import");
	}

	/** Like {@link #importRate(Http, int)}, with leads of the given batch name (distinct batches, distinct leads). */
	static double importRate(Http http, int rows, String batch) throws Exception {
		Path csv = Files.createTempFile("leadflow-bench-", ".csv");
		try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
			out.write(LeadData.CSV_HEADER);
			out.write("\n");
			for (int i = 0; i < rows; i++) {
				out.write(LeadData.csvRow(batch, i));
				out.write("\n");
			}
		}
		try {
			long t0 = System.nanoTime();
			String body = Http.check(http.postCsv("/api/leads/import", "marketing", csv), 202).body();
			String id = field(body, "id");
			while (true) {
				String view = Http.check(http.get("/api/imports/" + id, "marketing"), 200).body();
				String status = field(view, "status");
				if (!"RUNNING".equals(status)) {
					long nanos = System.nanoTime() - t0;
					int created = Integer.parseInt(field(view, "created"));
					if (!"DONE".equals(status) || created != rows) {
						throw new IllegalStateException("import ended " + status + " with " + created + " of " + rows
								+ " leads created: " + (view.length() > 800 ? view.substring(0, 800) : view));
					}
					return Bench.perSecond(rows, nanos);
				}
				Thread.sleep(100);
			}
		}
		finally {
			Files.deleteIfExists(csv);
		}
	}

	/** Completes open CALL actions (NO_ANSWER) as the manager; returns [completed, nanoseconds]. */
	static final String NO_ANSWER = "{\"outcome\":\"NO_ANSWER\",\"note\":\"benchmark\"}";

	/** A call that reached the lead, with one hearing item: an individual touch (the KPI touch coverage counts it). */
	static final String CONTACTED = "{\"outcome\":\"CONTACTED\",\"hearing\":{\"need\":\"SFA\"},\"note\":\"benchmark\"}";

	static long[] completeActions(BenchDb db, Http http, int n, int threads, long maxNanos) throws Exception {
		return completeActions(db, http, n, threads, maxNanos, NO_ANSWER);
	}

	static long[] completeActions(BenchDb db, Http http, int n, int threads, long maxNanos, String outcome) throws Exception {
		List<String[]> ids = openCallActions(db, n);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger completed = new AtomicInteger();
		long deadline = System.nanoTime() + Math.min(maxNanos, Long.MAX_VALUE / 4);
		long nanos = Bench.parallel(threads, () -> {
			int i;
			while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < ids.size()) {
				String path = "/api/next-actions/" + ids.get(i)[0] + "/complete";
				// The assignee completes its own action, as reps do.
				String user = ids.get(i)[1];
				for (int attempt = 1;; attempt++) {
					HttpResponse<String> response = http.postJson(path, user, outcome);
					if (response.statusCode() == 503 && attempt < 5) {
						// Rolled back (e.g. a deadlock): the client retries, as API.md asks.
						RETRIES.incrementAndGet();
						Thread.sleep(100L * attempt);
						continue;
					}
					Http.check(response, 200);
					break;
				}
				completed.incrementAndGet();
			}
		});
		return new long[] { completed.get(), nanos };
	}

	/** Open CALL actions from a random point of the id space (so copies and originals alike are picked). */
	static List<String[]> openCallActions(BenchDb db, int n) throws SQLException {
		List<String[]> ids = new ArrayList<>();
		try (Connection c = db.open(APP_DB);
				PreparedStatement ps = c.prepareStatement("SELECT id, assignee FROM lf_next_action WHERE open_lead_id IS NOT NULL "
						+ "AND type = 'CALL' AND task_id IS NOT NULL AND assignee LIKE 'rep%' ORDER BY RAND() LIMIT ?")) {
			ps.setInt(1, n);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					ids.add(new String[] { rs.getString(1), rs.getString(2) });
				}
			}
		}
		return ids;
	}

	static long seedThroughServices(LeadflowApp app, int n, int threads) throws Exception {
		LeadIntakeService intake = app.bean(LeadIntakeService.class);
		AtomicInteger next = new AtomicInteger();
		return Bench.parallel(threads, () -> {
			int i;
			while ((i = next.getAndIncrement()) < n) {
				String route = LeadData.route(i);
				LeadIntakeRequest request = new LeadIntakeRequest("bench-seed-" + i, Route.valueOf(route),
						"株式会社ベンチマーク" + i, "山田 太郎" + i, "lead" + i + ".seed@bench.example.jp", "+81-3-1234-0000",
						"Asia/Tokyo", "PURCHASED_LIST", null, null, "RECYCLE".equals(route) ? LossReason.PENDING : null);
				try {
					intake.submit(request, "marketing");
				}
				catch (DuplicateKeyException raced) {
					intake.submit(request, "marketing");
				}
				if (i > 0 && i % 1000 == 0) {
					Bench.log("  seeded " + i + "/" + n);
				}
			}
		});
	}

	/**
	 * 200,000 KPI facts: completed calls and emails of the team over the previous quarter's working
	 * days, recorded through the application's history ({@link LeadEvents}), whose listener writes the
	 * daily counters exactly as for real work.
	 */
	static long seedKpiFacts(LeadflowApp app, BenchDb db, Options options) throws Exception {
		LeadEvents events = app.bean(LeadEvents.class);
		BusinessCalendar calendar = app.bean(BusinessCalendar.class);
		TransactionTemplate tx = new TransactionTemplate(app.bean(PlatformTransactionManager.class));
		LocalDate[] quarter = previousQuarter();
		List<LocalDate> days = calendar.workingDays(quarter[0], quarter[1]);
		List<String> leadIds = new ArrayList<>();
		try (Connection c = db.open(APP_DB); Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("SELECT id FROM lf_lead LIMIT 5000")) {
			while (rs.next()) {
				leadIds.add(rs.getString(1));
			}
		}
		int reps = options.kpiReps();
		int slots = reps * days.size();
		int perSlot = options.kpiFacts() / slots;
		int extra = options.kpiFacts() % slots;
		Route[] routes = Route.values();
		String[] outcomes = { "NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "NO_ANSWER",
				"NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "WRONG_NUMBER", "CONTACTED", "CONTACTED", "CONTACTED",
				"MEETING_SET", "CALLBACK", "NOT_INTERESTED", "SENT", "SENT" };
		AtomicInteger slot = new AtomicInteger();
		AtomicLong written = new AtomicLong();
		return Bench.parallel(options.threads(), () -> {
			int s;
			while ((s = slot.getAndIncrement()) < slots) {
				int rep = 1 + s % reps;
				LocalDate day = days.get(s / reps);
				int n = perSlot + (s < extra ? 1 : 0);
				Instant start = day.atTime(10, 0).atZone(TEAM_ZONE).toInstant();
				final int slotNo = s;
				tx.executeWithoutResult(status -> {
					for (int j = 0; j < n; j++) {
						String outcome = outcomes[(j + slotNo) % outcomes.length];
						boolean email = "SENT".equals(outcome);
						boolean contact = outcome.equals("CONTACTED") || outcome.equals("MEETING_SET")
								|| outcome.equals("CALLBACK") || outcome.equals("NOT_INTERESTED");
						events.record(leadIds.get((slotNo * 31 + j) % leadIds.size()), LeadEventType.ACTION_COMPLETED)
							.at(start.plusSeconds(j * 240L))
							.actionType(email ? "EMAIL" : "CALL")
							.outcome(outcome)
							.by("rep" + rep)
							.route(routes[(slotNo + j) % routes.length])
							.hearing(contact ? Map.of("need", "在庫管理の刷新", "timeline", "来期") : null)
							.save();
					}
				});
				long w = written.addAndGet(n);
				if (s > 0 && s % 500 == 0) {
					Bench.log("  KPI facts: " + w);
				}
			}
		});
	}

	static LocalDate[] previousQuarter() {
		LocalDate today = LocalDate.now(TEAM_ZONE);
		LocalDate thisQuarter = today.with(IsoFields.DAY_OF_QUARTER, 1);
		LocalDate start = thisQuarter.minusMonths(3);
		return new LocalDate[] { start, thisQuarter.minusDays(1) };
	}

	// ------------------------------------------------------------------------------------------------
	// Queries and completions at a size
	// ------------------------------------------------------------------------------------------------

	static void measureQueries(Http http, Options options, SizeResult r) throws Exception {
		LocalDate[] quarter = previousQuarter();
		String kpis = "/api/kpis?from=" + quarter[0] + "&to=" + quarter[1];
		Map<String, Request> queries = new LinkedHashMap<>();
		queries.put("GET /api/inbox?due=today (rep1)", () -> http.get("/api/inbox?due=today", "rep1"));
		queries.put("GET /inbox page (rep1, logged in)", new Request() {
			private Http.Session session;

			@Override
			public HttpResponse<String> send() throws Exception {
				if (session == null) {
					session = http.new Session("rep1");
				}
				return session.get("/inbox");
			}
		});
		queries.put("GET /api/audit (manager)", () -> http.get("/api/audit", "manager"));
		queries.put("GET /api/audit/no-next-action?size=50", () -> http.get("/api/audit/no-next-action?size=50", "manager"));
		queries.put("GET /api/kpis quarter, team (manager)", () -> http.get(kpis, "manager"));
		queries.put("GET /api/kpis quarter, one rep (rep1)", () -> http.get(kpis + "&rep=rep1", "rep1"));
		for (Map.Entry<String, Request> query : queries.entrySet()) {
			if (!options.measures(query.getKey())) {
				continue;
			}
			Bench.Latency latency;
			try {
				latency = measure(query.getValue(), options);
			}
			catch (IllegalStateException failed) {
				// A page or endpoint that fails is reported as failing; the other figures still count.
				r.errors.put(query.getKey(), failed.getMessage().length() > 200 ? failed.getMessage().substring(0, 200)
						: failed.getMessage());
				Bench.log("  " + query.getKey() + " FAILED: " + failed.getMessage());
				continue;
			}
			r.latencies.put(query.getKey(), latency);
			Bench.log(String.format("  %,d leads: %-42s median %8.1f ms, p95 %8.1f ms (%d samples)", r.size, query.getKey(),
					latency.median(), latency.p95(), latency.samples()));
		}
		String summary = http.get("/api/audit", "manager").body();
		r.auditSummary = summary;
	}

	/** Asks the audit until it has re-checked every lead the engine marked (its answer's uncheckedLeads is 0). */
	static void drainAudit(Http http) throws Exception {
		for (int i = 0; i < 600; i++) {
			String summary = Http.check(http.get("/api/audit", "manager"), 200).body();
			if ("0".equals(field(summary, "uncheckedLeads"))) {
				return;
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("the audit did not re-check the marked leads within 5 minutes");
	}

	/** One run of the full consistency check (POST /api/audit/check), timed. */
	static void measureCheck(Http http, SizeResult r) throws Exception {
		long t0 = System.nanoTime();
		String run = Http.check(http.postJson("/api/audit/check", "manager", "{}"), 200).body();
		r.checkSeconds = (System.nanoTime() - t0) / 1e9;
		r.checkRun = "withoutNextAction=" + field(run, "withoutNextAction") + ", untracked=" + field(run, "untracked")
				+ ", counterCorrections=" + field(run, "counterCorrections");
		Bench.log(String.format("  %,d leads: full consistency check in %.1f s (%s)", r.size, r.checkSeconds, r.checkRun));
	}

	interface Request {

		HttpResponse<String> send() throws Exception;

	}

	static Bench.Latency measure(Request request, Options options) throws Exception {
		int samples = options.samples();
		for (int i = 0; i < options.warmup(); i++) {
			long t0 = System.nanoTime();
			Http.check(request.send(), 200);
			if (System.nanoTime() - t0 > 2_000_000_000L) {
				// A query that takes seconds: a few samples say enough and keep the run short.
				samples = Math.min(samples, 5);
				break;
			}
		}
		long[] nanos = new long[samples];
		for (int i = 0; i < samples; i++) {
			long t0 = System.nanoTime();
			Http.check(request.send(), 200);
			nanos[i] = System.nanoTime() - t0;
		}
		return Bench.Latency.of(nanos);
	}

	/** Completions at this size, with Leadflow's index on ACT_RU_TASK.PARENT_TASK_ID_ and without it. */
	static void measureCompletionsAtSize(BenchDb db, LeadflowApp app, Http http, Options options, SizeResult r)
			throws Exception {
		long budget = options.sizeCompletionSeconds() * 1_000_000_000L;
		// -Dbench.statementTimes=true logs the completions' statements with their times (an investigation, not a
		// measurement: the log itself costs time).
		boolean statementTimes = Boolean.parseBoolean(Bench.prop("bench.statementTimes", "false"));
		long[] with;
		if (statementTimes) {
			db.statementTimes(true);
			try {
				// long_query_time is read when a session starts: the pool's connections are opened again.
				app.bean(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
				with = completeActions(db, http, options.sizeCompletions(), options.threads(), budget);
			}
			finally {
				// The server's own log settings come back even when the completions fail.
				db.statementTimes(false);
			}
			Bench.log(String.format("  %,d leads: statements per completion (per op: executions × total time, rows examined "
					+ "per execution)", r.size));
			for (String line : db.statementTimesPerOperation(APP_DB, (int) with[0], 25)) {
				Bench.log("    " + line);
			}
		}
		else {
			with = completeActions(db, http, options.sizeCompletions(), options.threads(), budget);
		}
		r.completionsWithIndex = Bench.perSecond(with[0], with[1]);
		Bench.log(String.format("  %,d leads: %.1f completions/s with the PARENT_TASK_ID_ index (%d done)", r.size,
				r.completionsWithIndex, with[0]));
		if (indexExists(db)) {
			execute(db, "DROP INDEX " + PARENT_TASK_INDEX + " ON ACT_RU_TASK");
			try {
				long[] without = completeActions(db, http, options.sizeCompletions(), options.threads(), budget);
				r.completionsWithoutIndex = Bench.perSecond(without[0], without[1]);
				Bench.log(String.format("  %,d leads: %.1f completions/s without it (%d done)", r.size,
						r.completionsWithoutIndex, without[0]));
			}
			finally {
				execute(db, "CREATE INDEX " + PARENT_TASK_INDEX + " ON ACT_RU_TASK (PARENT_TASK_ID_)");
			}
		}
	}

	static boolean indexExists(BenchDb db) throws SQLException {
		return count(db, "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() "
				+ "AND table_name = 'ACT_RU_TASK' AND column_name = 'PARENT_TASK_ID_' AND seq_in_index = 1") > 0;
	}

	// ------------------------------------------------------------------------------------------------
	// Heap of a 100,000-row import in a 512 MB JVM
	// ------------------------------------------------------------------------------------------------

	static void heap(BenchDb db, Options options, Results results) throws Exception {
		db.recreate(HEAP_DB);
		Bench.log("heap: child JVM -Xmx512m importing " + options.heapRows() + " rows (at most " + options.heapSeconds()
				+ " s)");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Duser.timezone=UTC", "-Dfile.encoding=UTF-8", "-cp",
				System.getProperty("java.class.path"), ImportHeapProbe.class.getName(), db.url(HEAP_DB), db.user,
				String.valueOf(options.heapRows()), String.valueOf(options.heapSeconds()), db.password));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
		String line;
		String heapLine = null;
		try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			while ((line = out.readLine()) != null) {
				if (line.startsWith("HEAP ")) {
					heapLine = line;
				}
				else if (line.contains("OutOfMemoryError") || line.contains("Terminating due to")) {
					System.out.println("[heap child] " + line);
				}
			}
		}
		int exit = child.waitFor();
		results.heapExit = exit;
		results.heapLine = heapLine;
		Bench.log("heap: " + (heapLine == null ? "no result, child exited " + exit : heapLine));
	}

	// ------------------------------------------------------------------------------------------------
	// Helpers
	// ------------------------------------------------------------------------------------------------

	static void createTeam(LeadflowApp app, int size) {
		IdentityService identity = app.bean(IdentityService.class);
		for (int i = 1; i <= size; i++) {
			String id = "rep" + i;
			if (identity.createUserQuery().userId(id).count() == 0) {
				User user = identity.newUser(id);
				user.setFirstName("Rep");
				user.setLastName(String.valueOf(i));
				user.setEmail(id + "@leadflow.example");
				user.setPassword(id);
				identity.saveUser(user);
				identity.createMembership(id, "reps");
			}
		}
	}

	static long count(BenchDb db, String sql) throws SQLException {
		try (Connection c = db.open(APP_DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	static void execute(BenchDb db, String sql) throws SQLException {
		try (Connection c = db.open(APP_DB); Statement st = c.createStatement()) {
			st.execute(sql);
		}
	}

	static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
		if (!m.find()) {
			throw new IllegalStateException("no " + name + " in " + json);
		}
		return m.group(1);
	}

	static String versions() {
		return "Leadflow " + Benchmark.class.getPackage().getImplementationVersion() + ", Spring Boot "
				+ SpringBootVersion.getVersion();
	}

}
