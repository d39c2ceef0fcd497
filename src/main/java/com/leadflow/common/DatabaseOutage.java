package com.leadflow.common;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that cannot be reached (stopped, restarting, network gone, pool timed out)
 * from every other failure, whatever layer wrapped it: Spring's JDBC and transaction exceptions,
 * Camunda's {@code ProcessEngineException} around MyBatis' {@code PersistenceException}, Spring
 * Security's {@code AuthenticationServiceException}. Such a failure is temporary and answered
 * with 503 and {@code Retry-After}; the request changed nothing (its transaction did not commit,
 * or, when the connection broke during the commit, the client's retry with the same idempotency
 * key finds what was stored).
 */
public final class DatabaseOutage {

	/** Seconds a client is asked to wait before retrying ({@code Retry-After}). */
	public static final int RETRY_AFTER_SECONDS = 5;

	/** The {@code detail} of the 503 problem (API) and what the pages say in its place. */
	public static final String DETAIL = "The database is not reachable right now; nothing was changed. Retry in a few seconds.";

	private DatabaseOutage() {
	}

	/** Whether {@code failure} or one of its causes says the database is unreachable. */
	public static boolean isOutage(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
			if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
					|| t instanceof DataAccessResourceFailureException || t instanceof SQLTransientConnectionException
					|| t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
					|| t instanceof ConnectException || t instanceof NoRouteToHostException) {
				return true;
			}
			// Connector/J's CommunicationsException (communications link failure) is an SQLRecoverableException;
			// other drivers say it with SQLState class 08 (connection exception).
			if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return true;
			}
			if (t instanceof TransactionSystemException tx) {
				// A JDBC commit or rollback that fails (the pool's "Connection is closed", without an SQLState):
				// the connection is gone. The failure that made the transaction roll back is not the cause here.
				if (tx.getCause() instanceof SQLException) {
					return true;
				}
				if (tx.getApplicationException() != null && isOutage(tx.getApplicationException())) {
					return true;
				}
			}
		}
		return false;
	}

	private static Throwable next(Throwable t) {
		if (t instanceof SQLException sql && sql.getNextException() != null && t.getCause() == null) {
			return sql.getNextException();
		}
		return t.getCause();
	}

}
