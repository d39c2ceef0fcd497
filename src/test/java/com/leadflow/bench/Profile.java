package com.leadflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TimeZone;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** Local profiling driver (not part of the product): phases with a JFR recording and CPU split each. */
final class Profile {

	static final String DB = "lfbench_prof";

	public static void main(String[] args) throws Exception {
		TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
		int n = Bench.intProp("prof.leads", 600);
		int threads = Bench.intProp("prof.threads", 8);
		String phases = Bench.prop("prof.phases", "api,owner,import,complete");
		BenchDb db = BenchDb.start();
		db.setBufferPool(1L << 30, 0);
		long dbPid = mariadbPid();
		db.recreate(DB);
		Benchmark.RETRIES.set(0);
		try (LeadflowApp app = LeadflowApp.start(db.url(DB), db.user, db.password, 20)) {
			Benchmark.createTeam(app, Bench.intProp("prof.reps", 50));
			Http http = new Http(app.port, threads);
			Results results = new Results(Benchmark.Options.fromSystemProperties());
			Benchmark.intake(http, "warmup", Bench.intProp("prof.warmup", 300), threads, results);
			for (String phase : phases.split(",")) {
				Recording rec = new Recording(Configuration.getConfiguration("profile"));
				rec.start();
				long cpu0 = selfCpu();
				long db0 = procCpu(dbPid);
				java.util.Map<String, Long> com0 = statements(db);
				boolean logStatements = Boolean.getBoolean("prof.statementLog");
				if (logStatements) {
					generalLog(db, true);
				}
				long t0 = System.nanoTime();
				int count = n;
				switch (phase.replaceFirst("\\..*$", "")) {
					case "api" -> Benchmark.intake(http, phase, n, threads, results);
					case "owner" -> Benchmark.intake(http, phase, n, threads, results, 50);
					case "rep1" -> Benchmark.intake(http, phase, n, threads, results, 1);
					case "import" -> Benchmark.importRate(http, n, phase);
					case "bare" -> {
						try (BareEngine bare = new BareEngine(db.url(DB), db.user, db.password, 20, "audit")) {
							cpu0 = selfCpu();
							db0 = procCpu(dbPid);
							com0 = statements(db);
							t0 = System.nanoTime();
							bare.start(n, threads);
						}
					}
					case "inbox" -> {
						Http.Session session = http.new Session("rep1");
						long[] nanos = new long[n];
						for (int i = 0; i < n; i++) {
							long s0 = System.nanoTime();
							Http.check(session.get("/inbox"), 200);
							nanos[i] = System.nanoTime() - s0;
						}
						Bench.log("inbox page: " + Bench.Latency.of(nanos));
					}
					case "complete" -> {
						long[] done = completeOnApp(db, http, n, threads);
						count = (int) done[0];
					}
					default -> throw new IllegalArgumentException(phase);
				}
				long nanos = System.nanoTime() - t0;
				long cpu = selfCpu() - cpu0;
				long dbCpu = procCpu(dbPid) - db0;
				java.util.Map<String, Long> com1 = statements(db);
				if (logStatements) {
					generalLog(db, false);
					printStatements(db, count);
				}
				StringBuilder perOp = new StringBuilder();
				for (String key : com1.keySet()) {
					perOp.append(String.format(" %s %.1f", key, (com1.get(key) - com0.getOrDefault(key, 0L)) / (double) count));
				}
				rec.stop();
				Path out = Path.of("target/prof-" + phase + ".jfr");
				rec.dump(out);
				rec.close();
				Bench.log(String.format("PHASE %s: %d in %.1f s = %.1f/s; JVM CPU %.2f ms/op, DB CPU %.2f ms/op (%s)", phase,
						count, nanos / 1e9, count * 1e9 / nanos, cpu / 1e6 / count, dbCpu * 10.0 / count, out));
				Bench.log("PHASE " + phase + " statements per op:" + perOp);
			}
			if (Boolean.getBoolean("prof.wait")) {
				Bench.log("waiting; port " + app.port);
				Thread.sleep(Long.MAX_VALUE);
			}
		}
		finally {
			if (!Boolean.getBoolean("prof.keep")) {
				db.drop(DB);
			}
		}
		System.exit(0);
	}

	static long[] completeOnApp(BenchDb db, Http http, int n, int threads) throws Exception {
		// Benchmark.completeActions reads from lfbench_app; use ours.
		java.util.List<String[]> ids = new java.util.ArrayList<>();
		try (java.sql.Connection c = db.open(DB);
				java.sql.PreparedStatement ps = c.prepareStatement("SELECT id, assignee FROM lf_next_action WHERE open_lead_id IS NOT NULL "
						+ "AND type = 'CALL' AND task_id IS NOT NULL AND assignee LIKE 'rep%' ORDER BY RAND() LIMIT ?")) {
			ps.setInt(1, n);
			try (java.sql.ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					ids.add(new String[] { rs.getString(1), rs.getString(2) });
				}
			}
		}
		java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
		long nanos = Bench.parallel(threads, () -> {
			int i;
			while ((i = next.getAndIncrement()) < ids.size()) {
				Http.check(http.postJson("/api/next-actions/" + ids.get(i)[0] + "/complete", ids.get(i)[1],
						"{\"outcome\":\"NO_ANSWER\",\"note\":\"benchmark\"}"), 200);
			}
		});
		return new long[] { ids.size(), nanos };
	}

	/** The server's statement counters (global status), to report statements per operation. */
	static java.util.Map<String, Long> statements(BenchDb db) throws java.sql.SQLException {
		java.util.Map<String, Long> counts = new java.util.TreeMap<>();
		try (java.sql.Connection c = db.open(DB);
				java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
						+ "('Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_commit', 'Questions')")) {
			while (rs.next()) {
				counts.put(rs.getString(1), rs.getLong(2));
			}
		}
		return counts;
	}

	/** Turns the server's general log (into the table mysql.general_log, emptied first) on or off. */
	static void generalLog(BenchDb db, boolean on) throws java.sql.SQLException {
		try (java.sql.Connection c = db.open(DB); java.sql.Statement st = c.createStatement()) {
			if (on) {
				st.execute("SET GLOBAL log_output = 'TABLE'");
				st.execute("TRUNCATE TABLE mysql.general_log");
			}
			st.execute("SET GLOBAL general_log = " + (on ? 1 : 0));
		}
	}

	/** The statements the general log holds, literals replaced, grouped by their start and end, per operation. */
	static void printStatements(BenchDb db, int count) throws java.sql.SQLException {
		java.util.Map<String, Integer> counts = new java.util.HashMap<>();
		try (java.sql.Connection c = db.open(DB);
				java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT CONVERT(argument USING utf8mb4) FROM "
						+ "mysql.general_log WHERE command_type IN ('Query', 'Execute')")) {
			while (rs.next()) {
				counts.merge(Bench.abbreviatedSql(Bench.normalizedSql(rs.getString(1)), 230), 1, Integer::sum);
			}
		}
		counts.entrySet()
			.stream()
			.sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(80)
			.forEach(e -> Bench.log(String.format("  %6.2f  %s", e.getValue() / (double) count, e.getKey())));
	}

	static long selfCpu() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** utime+stime in clock ticks (1/100 s). */
	static long procCpu(long pid) throws Exception {
		if (pid <= 0) {
			return 0;
		}
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(f[11]) + Long.parseLong(f[12]);
	}

	static long mariadbPid() {
		return ProcessHandle.current()
			.descendants()
			.filter(p -> p.info().command().map(c -> c.contains("mariadbd")).orElse(false))
			.mapToLong(ProcessHandle::pid)
			.findFirst()
			.orElse(-1);
	}

}
