package com.leadflow.common;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;

/** What kind of database Leadflow runs on, for the few statements that need the vendor's own syntax. */
public final class Databases {

	private Databases() {
	}

	/** MySQL, or MariaDB through MySQL Connector/J (which reports itself as MySQL). */
	public static boolean isMySql(DataSource dataSource) {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			String product = connection.getMetaData().getDatabaseProductName();
			return product != null && (product.contains("MySQL") || product.contains("MariaDB"));
		}
		catch (SQLException ex) {
			return false;
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

}
