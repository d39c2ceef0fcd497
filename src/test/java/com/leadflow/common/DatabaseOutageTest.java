package com.leadflow.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures are a database outage (503 and Retry-After) and which are not, as the layers
 * wrap them; the real thing is DatabaseOutageIT.
 */
class DatabaseOutageTest {

	/** Hikari's answer when no connection came within connection-timeout. */
	static final SQLTransientConnectionException POOL_TIMEOUT = new SQLTransientConnectionException(
			"HikariPool-1 - Connection is not available, request timed out after 5000ms",
			new ConnectException("Connection refused"));

	@Test
	void anUnreachableDatabaseIsRecognisedThroughEveryWrapper() {
		// Spring's own
		assertThat(DatabaseOutage.isOutage(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", POOL_TIMEOUT))).isTrue();
		assertThat(DatabaseOutage.isOutage(new CannotCreateTransactionException("Could not open JDBC Connection", POOL_TIMEOUT))).isTrue();
		// Camunda: ProcessEngineException around MyBatis' PersistenceException around the driver's
		assertThat(DatabaseOutage.isOutage(new ProcessEngineException("ENGINE-03004 Exception while executing Database Operation",
				new PersistenceException("### Error querying database", POOL_TIMEOUT)))).isTrue();
		// Connector/J's communications link failure is an SQLRecoverableException; others use SQLState 08xxx.
		assertThat(DatabaseOutage.isOutage(new ProcessEngineException("x",
				new SQLRecoverableException("Communications link failure")))).isTrue();
		assertThat(DatabaseOutage.isOutage(new IllegalStateException(new SQLException("connection failure", "08S01")))).isTrue();
		// A commit or rollback on a connection the pool already closed ("Connection is closed", no SQLState)
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		assertThat(DatabaseOutage.isOutage(rollback)).isTrue();
		// ... or the failure that made it roll back, kept as the application exception
		TransactionSystemException overridden = new TransactionSystemException("Could not roll back");
		overridden.initApplicationException(new ProcessEngineException("x", POOL_TIMEOUT));
		assertThat(DatabaseOutage.isOutage(overridden)).isTrue();
		// The login could not be checked
		assertThat(DatabaseOutage.isOutage(new InternalAuthenticationServiceException("The user directory is not reachable",
				new ProcessEngineException("x", POOL_TIMEOUT)))).isTrue();
	}

	@Test
	void otherFailuresAreNotAnOutage() {
		assertThat(DatabaseOutage.isOutage(new BadCredentialsException("Bad credentials"))).isFalse();
		assertThat(DatabaseOutage.isOutage(new DuplicateKeyException("uk_lf_lead_external_id",
				new SQLIntegrityConstraintViolationException("Duplicate entry", "23000")))).isFalse();
		assertThat(DatabaseOutage.isOutage(new ProcessEngineException("ENGINE-01009 no deployed process definition"))).isFalse();
		assertThat(DatabaseOutage.isOutage(new IllegalStateException("bug"))).isFalse();
		assertThat(DatabaseOutage.isOutage(new TransactionSystemException("Could not commit: rolled back by a participant"))).isFalse();
		assertThat(DatabaseOutage.isOutage(null)).isFalse();
	}

}
