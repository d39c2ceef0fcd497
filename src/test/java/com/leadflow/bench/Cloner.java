package com.leadflow.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The fast seeding path for large sizes. The leads created through the application (API, import,
 * services) are the template: every row they wrote (Leadflow's {@code lf_lead}, {@code lf_lead_event},
 * {@code lf_next_action}, and the engine's runtime and history rows of their process trees) is copied
 * inside the database with {@code INSERT ... SELECT}, copy {@code k} replacing every identifier of the
 * template (any UUID-shaped value that is not an engine definition, deployment or user id) by
 * {@code all but the last 12 characters + k as 12 hex digits}, consistently in every column (ids, foreign keys,
 * business keys, process variables holding a lead or action id). External id and email get a copy
 * suffix so the unique keys hold. The result is what the application would have written for the same
 * leads handed in again, with the same due dates, owners and history; the daily KPI counters of those
 * events and the audit's counters ({@code lf_audit_owner_count}, {@code lf_audit_hour_count},
 * {@code lf_audit_touch_count}, {@code lf_audit_assigned_count}, {@code lf_audit_call_count}) are scaled
 * by the number of copies, and the audit's stored findings are copied with their leads (a healthy
 * template has none).
 *
 * <p>Without history ({@code -Dbench.cloneHistory=false}) the engine's history tables ({@code ACT_HI_*})
 * are not copied: the copies have everything the application and the engine's runtime hold, but no
 * history rows. None of the measured queries reads history; it is most of the disk a lead takes.
 */
final class Cloner {

	/** A UUID, possibly prefixed (activity instance ids are {@code activityId:uuid}). */
	static final String UUID_REGEX = "^([A-Za-z0-9_.-]+:)*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

	private static final Pattern UUID = Pattern.compile(UUID_REGEX);

	/** Per-lead rows of the application's own tables. */
	private static final List<String> LEADFLOW_TABLES = List.of("lf_lead", "lf_lead_event", "lf_next_action",
			"lf_audit_finding");

	/** The audit's counters: per key and shard, scaled like the KPI counters. */
	private static final List<String> COUNTER_TABLES = List.of("lf_audit_owner_count", "lf_audit_hour_count",
			"lf_audit_touch_count", "lf_audit_assigned_count", "lf_audit_call_count");

	private static final List<String> PROCESS_COLUMNS = List.of("ROOT_PROC_INST_ID_", "PROC_INST_ID_",
			"PROCESS_INSTANCE_ID_");

	private final BenchDb db;

	private final String database;

	private final boolean history;

	/** table → INSERT ... SELECT with :from/:to placeholders for the copy range. */
	private final Map<String, String> statements = new LinkedHashMap<>();

	private final Map<String, Long> templateRows = new LinkedHashMap<>();

	long templateLeads;

	int copies;

	Cloner(BenchDb db, String database, boolean history) {
		this.db = db;
		this.database = database;
		this.history = history;
	}

	/** Snapshots the template (everything per lead that is in the database now) and prepares the statements. */
	void snapshot() throws SQLException {
		try (Connection c = db.open(database); Statement st = c.createStatement()) {
			List<String> tables = new ArrayList<>();
			try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
					+ "AND table_type = 'BASE TABLE' ORDER BY table_name")) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
			Map<String, String> templateFilter = new LinkedHashMap<>();
			for (String table : tables) {
				String upper = table.toUpperCase();
				if (LEADFLOW_TABLES.contains(table)) {
					templateFilter.put(table, "1 = 1");
				}
				else if (upper.equals("ACT_RU_TASK_METER_LOG")) {
					templateFilter.put(table, "1 = 1");
				}
				else if (upper.startsWith("ACT_RU_") || (history && upper.startsWith("ACT_HI_")) || upper.equals("ACT_GE_BYTEARRAY")) {
					List<String> cols = columns(c, table);
					List<String> present = PROCESS_COLUMNS.stream().filter(cols::contains).toList();
					if (!present.isEmpty()) {
						templateFilter.put(table, "(" + String.join(" OR ", present.stream().map(p -> p + " IS NOT NULL").toList()) + ")");
					}
				}
			}
			// Identifiers shared by all leads (definitions, deployments, job definitions, users): never replaced.
			st.execute("DROP TABLE IF EXISTS bench_shared");
			st.execute("CREATE TABLE bench_shared (id VARCHAR(255) PRIMARY KEY) ENGINE=InnoDB");
			Set<String> shared = new HashSet<>();
			for (String table : tables) {
				if (!table.toUpperCase().startsWith("ACT_") || table.startsWith("bench_")) {
					continue;
				}
				if (!history && table.toUpperCase().startsWith("ACT_HI_")) {
					// Not copied, and full of the template's own ids (which are no shared ids).
					continue;
				}
				String filter = templateFilter.containsKey(table) ? "NOT (" + templateFilter.get(table) + ")" : "1 = 1";
				List<String> cols = stringColumns(c, table);
				if (cols.isEmpty()) {
					continue;
				}
				try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", cols) + " FROM " + table + " WHERE " + filter)) {
					while (rs.next()) {
						for (int i = 1; i <= cols.size(); i++) {
							String v = rs.getString(i);
							if (v != null && UUID.matcher(v).matches()) {
								shared.add(v);
							}
						}
					}
				}
			}
			try (PreparedStatement insert = c.prepareStatement("INSERT IGNORE INTO bench_shared (id) VALUES (?)")) {
				for (String id : shared) {
					insert.setString(1, id);
					insert.addBatch();
				}
				insert.executeBatch();
			}
			for (Map.Entry<String, String> entry : templateFilter.entrySet()) {
				String table = entry.getKey();
				String tpl = "bench_tpl_" + table;
				st.execute("DROP TABLE IF EXISTS " + tpl);
				st.execute("CREATE TABLE " + tpl + " ENGINE=InnoDB AS SELECT * FROM " + table + " WHERE " + entry.getValue());
				long rows = count(st, "SELECT COUNT(*) FROM " + tpl);
				if (rows == 0) {
					st.execute("DROP TABLE " + tpl);
					continue;
				}
				templateRows.put(table, rows);
				statements.put(table, insertSelect(c, st, table, tpl));
			}
			st.execute("DROP TABLE IF EXISTS bench_tpl_kpi");
			st.execute("CREATE TABLE bench_tpl_kpi ENGINE=InnoDB AS SELECT * FROM lf_kpi_day");
			for (String counters : COUNTER_TABLES) {
				st.execute("DROP TABLE IF EXISTS bench_tpl_" + counters);
				st.execute("CREATE TABLE bench_tpl_" + counters + " ENGINE=InnoDB AS SELECT * FROM " + counters + " WHERE n <> 0");
			}
			templateLeads = templateRows.getOrDefault("lf_lead", 0L);
			checkPrefixesUnique(st);
		}
	}

	/** Adds copies until the database holds at least {@code target} leads; returns the elapsed nanoseconds. */
	long growTo(long target, int threads) throws Exception {
		int wanted = (int) Math.max(0, Math.ceil((double) target / templateLeads) - 1);
		if (wanted <= copies) {
			return 0;
		}
		long t0 = System.nanoTime();
		try (Connection c = db.open(database); Statement st = c.createStatement()) {
			st.execute("CREATE TABLE IF NOT EXISTS bench_seq (k INT PRIMARY KEY, hx CHAR(12) NOT NULL) ENGINE=InnoDB");
			long have = count(st, "SELECT COALESCE(MAX(k), 0) FROM bench_seq");
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_seq (k, hx) VALUES (?, ?)")) {
				for (long k = have + 1; k <= wanted; k++) {
					insert.setLong(1, k);
					insert.setString(2, String.format("%012x", k));
					insert.addBatch();
				}
				insert.executeBatch();
			}
		}
		// Work items: (table, copy range) with about 200,000 rows each, run by a few connections at once.
		List<String[]> work = new ArrayList<>();
		for (Map.Entry<String, String> entry : statements.entrySet()) {
			long rowsPerCopy = templateRows.get(entry.getKey());
			int step = (int) Math.max(1, 200_000 / rowsPerCopy);
			for (int from = copies + 1; from <= wanted; from += step) {
				int to = Math.min(wanted, from + step - 1);
				work.add(new String[] { entry.getKey(), entry.getValue().replace(":from", String.valueOf(from))
					.replace(":to", String.valueOf(to)) });
			}
		}
		AtomicInteger next = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		Bench.parallel(threads, () -> {
			try (Connection c = db.open(database); Statement st = c.createStatement()) {
				st.execute("SET SESSION foreign_key_checks = 0");
				st.execute("SET SESSION unique_checks = 0");
				c.setAutoCommit(true);
				int i;
				while ((i = next.getAndIncrement()) < work.size()) {
					st.executeUpdate(work.get(i)[1]);
					int n = done.incrementAndGet();
					if (n % 20 == 0 || n == work.size()) {
						Bench.log("  cloning: " + n + "/" + work.size() + " statements");
					}
				}
			}
		});
		int added = wanted - copies;
		copies = wanted;
		try (Connection c = db.open(database); Statement st = c.createStatement()) {
			// The audit's counters: each copy adds what its template counted (same owner, due hour, touch hour).
			st.executeUpdate("INSERT INTO lf_audit_owner_count (owner, shard, n) SELECT owner, shard, n * " + added
					+ " FROM bench_tpl_lf_audit_owner_count ON DUPLICATE KEY UPDATE n = lf_audit_owner_count.n + VALUES(n)");
			st.executeUpdate("INSERT INTO lf_audit_hour_count (kind, hour_no, shard, n) SELECT kind, hour_no, shard, n * " + added
					+ " FROM bench_tpl_lf_audit_hour_count ON DUPLICATE KEY UPDATE n = lf_audit_hour_count.n + VALUES(n)");
			st.executeUpdate("INSERT INTO lf_audit_touch_count (owner, hour_no, shard, n) SELECT owner, hour_no, shard, n * "
					+ added + " FROM bench_tpl_lf_audit_touch_count ON DUPLICATE KEY UPDATE n = lf_audit_touch_count.n + VALUES(n)");
			st.executeUpdate("INSERT INTO lf_audit_assigned_count (owner, hour_no, shard, n) SELECT owner, hour_no, shard, n * "
					+ added + " FROM bench_tpl_lf_audit_assigned_count "
					+ "ON DUPLICATE KEY UPDATE n = lf_audit_assigned_count.n + VALUES(n)");
			st.executeUpdate("INSERT INTO lf_audit_call_count (owner, hour_no, shard, n) SELECT owner, hour_no, shard, n * "
					+ added + " FROM bench_tpl_lf_audit_call_count ON DUPLICATE KEY UPDATE n = lf_audit_call_count.n + VALUES(n)");
			// The template's KPI counters, once per copy more (the copies' events are the template's events).
			st.executeUpdate("UPDATE lf_kpi_day d JOIN bench_tpl_kpi t ON t.event_day = d.event_day AND t.rep = d.rep "
					+ "AND t.route = d.route SET d.calls = t.calls * " + (copies + 1) + ", d.contacts = t.contacts * "
					+ (copies + 1) + ", d.meetings = t.meetings * " + (copies + 1) + ", d.hearing_items = t.hearing_items * "
					+ (copies + 1) + ", d.emails = t.emails * " + (copies + 1) + ", d.handoffs = t.handoffs * " + (copies + 1)
					+ ", d.meetings_held = t.meetings_held * " + (copies + 1) + ", d.opportunities = t.opportunities * "
					+ (copies + 1));
			for (String table : history ? List.of("lf_lead", "lf_next_action", "lf_lead_event", "ACT_RU_TASK", "ACT_RU_EXECUTION",
					"ACT_HI_ACTINST", "ACT_HI_VARINST") : List.of("lf_lead", "lf_next_action", "lf_lead_event", "ACT_RU_TASK",
							"ACT_RU_EXECUTION")) {
				st.execute("ANALYZE TABLE " + table);
			}
		}
		return System.nanoTime() - t0;
	}

	long rowsPerLead() {
		return templateLeads == 0 ? 0 : templateRows.values().stream().mapToLong(Long::longValue).sum() / templateLeads;
	}

	Map<String, Long> templateRows() {
		return templateRows;
	}

	private String insertSelect(Connection c, Statement st, String table, String tpl) throws SQLException {
		List<String> all = columns(c, table);
		Set<String> strings = new HashSet<>(stringColumns(c, table));
		List<String> expressions = new ArrayList<>();
		Set<String> mapped = new HashSet<>();
		for (String col : all) {
			String expr = "t." + col;
			if (table.equals("lf_lead") && col.equals("external_id")) {
				expr = "CONCAT(t.external_id, '~c', s.k)";
				mapped.add(col);
			}
			else if (table.equals("lf_lead") && List.of("email", "email_norm", "active_email").contains(col)) {
				expr = "CONCAT('c', s.k, '.', t." + col + ")"; // NULL stays NULL
				mapped.add(col);
			}
			else if (strings.contains(col)) {
				long nonNull = count(st, "SELECT COUNT(*) FROM " + tpl + " WHERE " + col + " IS NOT NULL");
				String isId = col + " REGEXP '" + UUID_REGEX + "' AND " + col + " NOT IN (SELECT id FROM bench_shared)";
				long ids = count(st, "SELECT COUNT(*) FROM " + tpl + " WHERE " + isId);
				String replaced = "CONCAT(LEFT(t." + col + ", CHAR_LENGTH(t." + col + ") - 12), s.hx)";
				if (ids > 0 && ids == nonNull) {
					expr = replaced; // NULL stays NULL
					mapped.add(col);
				}
				else if (ids > 0) {
					// Mixed values (variables: ids and words): decided once per template row, not per copy.
					String flag = "m__" + col;
					st.execute("ALTER TABLE " + tpl + " ADD COLUMN " + flag + " TINYINT NOT NULL DEFAULT 0");
					st.execute("UPDATE " + tpl + " SET " + flag + " = 1 WHERE " + isId);
					expr = "IF(t." + flag + " = 1, " + replaced + ", t." + col + ")";
					mapped.add(col);
				}
			}
			expressions.add(expr);
		}
		// Every unique key must contain a replaced column, or the copies would collide.
		Map<String, List<String>> uniques = new LinkedHashMap<>();
		try (PreparedStatement ps = c.prepareStatement("SELECT index_name, column_name FROM information_schema.statistics "
				+ "WHERE table_schema = DATABASE() AND table_name = ? AND non_unique = 0")) {
			ps.setString(1, table);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					uniques.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(rs.getString(2));
				}
			}
		}
		for (Map.Entry<String, List<String>> unique : uniques.entrySet()) {
			if (unique.getValue().stream().noneMatch(mapped::contains)) {
				throw new IllegalStateException("cannot clone " + table + ": unique key " + unique.getKey() + " "
						+ unique.getValue() + " has no replaced column");
			}
		}
		return "INSERT INTO " + table + " (" + String.join(", ", all) + ") SELECT " + String.join(", ", expressions)
				+ " FROM " + tpl + " t JOIN bench_seq s ON s.k BETWEEN :from AND :to";
	}

	/** Copies differ only in the last 12 characters: all but the last 12 characters of every template id must be unique. */
	private void checkPrefixesUnique(Statement st) throws SQLException {
		for (String table : templateRows.keySet()) {
			String idColumn = table.startsWith("lf_") ? "id" : "ID_";
			long ids = count(st, "SELECT COUNT(*) FROM bench_tpl_" + table);
			long prefixes = count(st, "SELECT COUNT(DISTINCT LEFT(" + idColumn + ", CHAR_LENGTH(" + idColumn + ") - 12)) FROM bench_tpl_"
					+ table);
			if (ids != prefixes) {
				throw new IllegalStateException("ids of " + table + " are not unique without their last 12 characters");
			}
		}
	}

	private static List<String> columns(Connection c, String table) throws SQLException {
		List<String> cols = new ArrayList<>();
		try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
				+ "WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position")) {
			ps.setString(1, table);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					cols.add(rs.getString(1));
				}
			}
		}
		return cols;
	}

	private static List<String> stringColumns(Connection c, String table) throws SQLException {
		List<String> cols = new ArrayList<>();
		try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
				+ "WHERE table_schema = DATABASE() AND table_name = ? AND data_type IN ('varchar', 'char') "
				+ "AND character_maximum_length >= 36 ORDER BY ordinal_position")) {
			ps.setString(1, table);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					cols.add(rs.getString(1));
				}
			}
		}
		return cols;
	}

	private static long count(Statement st, String sql) throws SQLException {
		try (ResultSet rs = st.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
