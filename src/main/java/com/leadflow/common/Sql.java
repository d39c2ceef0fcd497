package com.leadflow.common;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Conversions between java.time and JDBC that behave the same on H2 and MySQL (UTC everywhere). */
public final class Sql {

	private Sql() {
	}

	public static Timestamp ts(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	public static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp ts = rs.getTimestamp(column);
		return ts == null ? null : ts.toInstant();
	}

}
