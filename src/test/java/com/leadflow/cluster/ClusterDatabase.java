package com.leadflow.cluster;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.leadflow.testsupport.MySqlTestDatabase;

/**
 * The cluster's own database on the suite's MySQL-protocol server ({@link MySqlTestDatabase}: the
 * embedded MariaDB or {@code LEADFLOW_TEST_MYSQL_URL}): created empty for the cluster tests, dropped
 * at the end. The test reads it with plain SQL, set-based, to check what the nodes wrote.
 */
final class ClusterDatabase implements AutoCloseable {

	private final MySqlTestDatabase server;

	private final String name;

	private final String url;

	private ClusterDatabase(MySqlTestDatabase server, String name) {
		this.server = server;
		this.name = name;
		String base = server.jdbcUrl();
		String marker = "/" + server.databaseName() + "?";
		if (!base.contains(marker)) {
			throw new IllegalStateException("unexpected test database URL " + base);
		}
		this.url = base.replace(marker, "/" + name + "?");
	}

	static ClusterDatabase create() {
		MySqlTestDatabase server = MySqlTestDatabase.get();
		byte[] random = new byte[3];
		new SecureRandom().nextBytes(random);
		String name = "leadflow_cluster_" + HexFormat.of().formatHex(random);
		try (Connection c = server.openConnection(); Statement st = c.createStatement()) {
			st.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot create the cluster database on " + server, ex);
		}
		return new ClusterDatabase(server, name);
	}

	String url() {
		return url;
	}

	String username() {
		return server.username();
	}

	String password() {
		return server.password();
	}

	String name() {
		return name;
	}

	/** A single number (COUNT, SUM, …) from a query with positional parameters. */
	long number(String sql, Object... params) {
		List<Object[]> rows = rows(sql, params);
		Object value = rows.isEmpty() ? null : rows.get(0)[0];
		return value == null ? 0 : ((Number) value).longValue();
	}

	String text(String sql, Object... params) {
		List<Object[]> rows = rows(sql, params);
		return rows.isEmpty() || rows.get(0)[0] == null ? null : rows.get(0)[0].toString();
	}

	List<Object[]> rows(String sql, Object... params) {
		try (Connection c = DriverManager.getConnection(url, username(), password());
				PreparedStatement st = c.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				st.setObject(i + 1, params[i]);
			}
			try (ResultSet rs = st.executeQuery()) {
				int columns = rs.getMetaData().getColumnCount();
				List<Object[]> result = new ArrayList<>();
				while (rs.next()) {
					Object[] row = new Object[columns];
					for (int i = 0; i < columns; i++) {
						row[i] = rs.getObject(i + 1);
					}
					result.add(row);
				}
				return result;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		try (Connection c = server.openConnection(); Statement st = c.createStatement()) {
			st.execute("SET SESSION lock_wait_timeout = 15");
			st.execute("DROP DATABASE IF EXISTS `" + name + "`");
		}
		catch (SQLException ex) {
			System.err.println("[cluster] could not drop " + name + ": " + ex.getMessage());
		}
	}

}
