package com.leadflow.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.jdbc.datasource.DataSourceUtils;

/** What kind of database Leadflow runs on, for the few statements that need the vendor's own syntax. */
public final class Databases {

	/** Answers per data source: a data source does not change its server. A failed look-up is not remembered. */
	private static final Map<DataSource, Boolean> MYSQL = Collections.synchronizedMap(new WeakHashMap<>());

	private static final Map<DataSource, Boolean> SKIP_LOCKED = Collections.synchronizedMap(new WeakHashMap<>());

	private Databases() {
	}

	/** An engine table's name as the engine's own SQL writes it: with its configured table prefix, if any. */
	public static String engineTable(ProcessEngineConfigurationImpl configuration, String table) {
		String prefix = configuration.getDatabaseTablePrefix();
		return (prefix == null ? "" : prefix) + table;
	}

	/** MySQL, or MariaDB through MySQL Connector/J (which reports itself as MySQL). */
	public static boolean isMySql(DataSource dataSource) {
		Boolean known = MYSQL.get(dataSource);
		if (known != null) {
			return known;
		}
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			String product = connection.getMetaData().getDatabaseProductName();
			boolean mySql = product != null && (product.contains("MySQL") || product.contains("MariaDB"));
			MYSQL.put(dataSource, mySql);
			return mySql;
		}
		catch (SQLException ex) {
			return false;
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * Whether the MySQL-protocol server knows {@code SELECT … FOR UPDATE SKIP LOCKED}: MySQL 8.0.1+
	 * and MariaDB 10.6+. Connector/J reports MariaDB as MySQL; its version string names MariaDB.
	 */
	public static boolean supportsSkipLocked(DataSource dataSource) {
		Boolean known = SKIP_LOCKED.get(dataSource);
		if (known != null) {
			return known;
		}
		if (!isMySql(dataSource)) {
			return false;
		}
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			String version = connection.getMetaData().getDatabaseProductVersion();
			boolean supported = version != null && supportsSkipLocked(version);
			SKIP_LOCKED.put(dataSource, supported);
			return supported;
		}
		catch (SQLException ex) {
			return false;
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	static boolean supportsSkipLocked(String version) {
		// MariaDB 10 announced itself as "5.5.5-10.x.y-MariaDB" to old MySQL clients.
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:5\\.5\\.5-)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?")
			.matcher(version);
		if (!m.find()) {
			return false;
		}
		int major = Integer.parseInt(m.group(1));
		int minor = Integer.parseInt(m.group(2));
		int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
		if (version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
			return major > 10 || (major == 10 && minor >= 6);
		}
		return major > 8 || (major == 8 && (minor > 0 || patch >= 1));
	}

}
