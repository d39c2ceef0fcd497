package com.leadflow.process;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Indexes the engine's own schema lacks and Leadflow's volume needs, created once the engine has
 * created or updated its tables (the engine owns them, so this is not a Flyway migration).
 * Idempotent: an index is created only when no index of the table starts with the column, checked
 * through JDBC metadata; a node that loses the race to create it just logs and goes on.
 *
 * <p>{@code ACT_RU_TASK.PARENT_TASK_ID_}: every task completion runs
 * {@code SELECT … FROM ACT_RU_TASK WHERE PARENT_TASK_ID_ = ?} (sub-tasks of the completed task); without
 * an index that is a scan of all open tasks, and Leadflow keeps one open task per lead (BENCHMARKS.md).
 */
@Component
class EngineIndexesPlugin extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(EngineIndexesPlugin.class);

	record EngineIndex(String name, String table, String column) {
	}

	static final List<EngineIndex> INDEXES = List.of(new EngineIndex("LF_IDX_TASK_PARENT", "ACT_RU_TASK", "PARENT_TASK_ID_"));

	private ProcessEngineConfigurationImpl configuration;

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		this.configuration = configuration;
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine processEngine) {
		DataSource dataSource = configuration.getDataSource();
		String prefix = configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix();
		try (Connection connection = dataSource.getConnection()) {
			for (EngineIndex index : INDEXES) {
				ensure(connection, prefix, index);
			}
		}
		catch (SQLException ex) {
			// The engine works without the index, only slower: never keep the application from starting.
			log.warn("Could not check the engine's indexes: {}", ex.getMessage());
		}
	}

	static void ensure(Connection connection, String prefix, EngineIndex index) throws SQLException {
		String table = index.table();
		if (hasIndexOn(connection, table, index.column())) {
			return;
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE INDEX " + index.name() + " ON " + prefix + table + " (" + index.column() + ")");
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
			log.info("Created index {} on {}({})", index.name(), prefix + table, index.column());
		}
		catch (SQLException raced) {
			// Another node created it meanwhile (duplicate key name), or the schema is read-only for us.
			if (!hasIndexOn(connection, table, index.column())) {
				log.warn("Could not create index {} on {}({}): {}", index.name(), table, index.column(), raced.getMessage());
			}
		}
	}

	/** Whether an index of {@code table} has {@code column} as its first column (table names in any case). */
	static boolean hasIndexOn(Connection connection, String table, String column) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		for (String name : List.of(table, table.toLowerCase(Locale.ROOT))) {
			try (ResultSet rs = meta.getIndexInfo(connection.getCatalog(), null, name, false, true)) {
				while (rs.next()) {
					String col = rs.getString("COLUMN_NAME");
					if (rs.getShort("ORDINAL_POSITION") == 1 && col != null && col.equalsIgnoreCase(column)) {
						return true;
					}
				}
			}
		}
		return false;
	}

}
