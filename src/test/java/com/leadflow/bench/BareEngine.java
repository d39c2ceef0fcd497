package com.leadflow.bench;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;

/**
 * The baseline: a standalone Camunda engine on its own database of the same server, with the
 * settings Leadflow runs with (history level, JDBC batching, id generator, pool size, isolation,
 * no job executor), starting a one-user-task process with a business key and 8 variables, and
 * completing its tasks.
 */
final class BareEngine implements AutoCloseable {

	static final String KEY = "bare";

	private final HikariDataSource dataSource;

	final ProcessEngine engine;

	BareEngine(String jdbcUrl, String user, String password, int poolSize, String historyLevel) {
		HikariConfig pool = new HikariConfig();
		pool.setJdbcUrl(jdbcUrl);
		pool.setUsername(user);
		pool.setPassword(password);
		pool.setMaximumPoolSize(poolSize);
		pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
		pool.setConnectionInitSql("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
		// The statement cache of the mysql profile (application-mysql.yml), so both sides parse alike.
		pool.addDataSourceProperty("cachePrepStmts", "true");
		pool.addDataSourceProperty("prepStmtCacheSize", "500");
		pool.addDataSourceProperty("prepStmtCacheSqlLimit", "8192");
		this.dataSource = new HikariDataSource(pool);
		StandaloneProcessEngineConfiguration cfg = new StandaloneProcessEngineConfiguration();
		cfg.setProcessEngineName("bare-baseline");
		cfg.setDataSource(dataSource);
		cfg.setDatabaseType("mysql");
		cfg.setDatabaseSchemaUpdate("true");
		cfg.setHistory(historyLevel);
		cfg.setJdbcBatchProcessing(true);
		cfg.setJobExecutorActivate(false);
		cfg.setIdGenerator(new StrongUuidGenerator());
		cfg.setMetricsEnabled(false);
		cfg.setTaskMetricsEnabled(false);
		cfg.setEnforceHistoryTimeToLive(true);
		cfg.setHistoryCleanupBatchWindowStartTime("01:00");
		cfg.setHistoryCleanupBatchWindowEndTime("05:00");
		this.engine = cfg.buildProcessEngine();
		BpmnModelInstance model = Bpmn.createExecutableProcess(KEY)
			.camundaHistoryTimeToLive(180)
			.startEvent("start")
			.userTask("work")
			.camundaAssignee("${assignee}")
			.camundaDueDate("${dueAt}")
			.endEvent("end")
			.done();
		engine.getRepositoryService().createDeployment().addModelInstance("bare.bpmn", model).deploy();
	}

	/** Starts {@code n} instances with {@code threads} threads; returns the elapsed nanoseconds. */
	long start(int n, int threads) throws Exception {
		AtomicInteger next = new AtomicInteger();
		return Bench.parallel(threads, () -> {
			int i;
			while ((i = next.getAndIncrement()) < n) {
				String businessKey = UUID.randomUUID().toString();
				engine.getRuntimeService().startProcessInstanceByKey(KEY, businessKey, variables(businessKey, i));
			}
		});
	}

	/** Completes up to {@code n} open tasks with {@code threads} threads; returns [completed, elapsed nanoseconds]. */
	long[] complete(int n, int threads) throws Exception {
		List<String> ids = new ArrayList<>();
		for (Task task : engine.getTaskService().createTaskQuery().listPage(0, n)) {
			ids.add(task.getId());
		}
		AtomicInteger next = new AtomicInteger();
		long elapsed = Bench.parallel(threads, () -> {
			int i;
			while ((i = next.getAndIncrement()) < ids.size()) {
				engine.getTaskService().complete(ids.get(i), Map.of("lastOutcome", "NO_ANSWER"));
			}
		});
		return new long[] { ids.size(), elapsed };
	}

	/** Rows the engine wrote per started instance (runtime and history tables), from the database. */
	static double rowsPerInstance(java.sql.Connection c) throws java.sql.SQLException {
		long instances;
		try (java.sql.ResultSet count = c.createStatement().executeQuery("SELECT COUNT(*) FROM ACT_HI_PROCINST")) {
			count.next();
			instances = count.getLong(1);
		}
		return instances == 0 ? 0 : (double) engineRows(c) / instances;
	}

	/** Rows in the engine's runtime and history tables (definitions' job definitions left out). */
	static long engineRows(java.sql.Connection c) throws java.sql.SQLException {
		long rows = 0;
		try (java.sql.Statement st = c.createStatement();
				java.sql.ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE "
						+ "table_schema = DATABASE() AND (table_name LIKE 'ACT\\_RU\\_%' OR table_name LIKE 'ACT\\_HI\\_%')")) {
			List<String> tables = new ArrayList<>();
			while (rs.next()) {
				tables.add(rs.getString(1));
			}
			for (String table : tables) {
				if (table.equals("ACT_RU_JOBDEF")) {
					continue;
				}
				try (java.sql.ResultSet count = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
					count.next();
					rows += count.getLong(1);
				}
			}
		}
		return rows;
	}

	long openTasks() {
		return engine.getTaskService().createTaskQuery().count();
	}

	/** Eight variables, of the kinds Leadflow's lead process carries (ids, route, owner, counters, dates). */
	static Map<String, Object> variables(String businessKey, int i) {
		Map<String, Object> vars = new HashMap<>();
		vars.put("leadId", businessKey);
		vars.put("route", "NURTURE");
		vars.put("owner", "rep" + (1 + i % 50));
		vars.put("assignee", "rep" + (1 + i % 50));
		vars.put("attempt", 0);
		vars.put("actionType", "CALL");
		vars.put("actionId", UUID.randomUUID().toString());
		vars.put("dueAt", new Date(System.currentTimeMillis() + 86_400_000L));
		return vars;
	}

	@Override
	public void close() {
		engine.close();
		dataSource.close();
	}

}
