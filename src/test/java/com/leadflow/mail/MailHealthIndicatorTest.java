package com.leadflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The mail health contributor without Spring: a stalled SMTP server never holds a health call
 * longer than {@code max-wait}, the demo file sink and a missing server say what they are, and a
 * database outage does not turn mail's answer into an error. (Up and down against a real server:
 * MailContract.)
 */
class MailHealthIndicatorTest {

	private final OutboxRepository rows = mock(OutboxRepository.class);

	@Test
	void aStalledServerDoesNotHoldTheHealthCallAndIsReportedOnceTheCheckTimesOut() throws Exception {
		when(rows.count(OutboxState.PENDING)).thenReturn(3L);
		when(rows.count(OutboxState.FAILED)).thenReturn(1L);
		// Accepts connections (the kernel's backlog) but never sends the SMTP greeting.
		try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			JavaMailSenderImpl mail = new JavaMailSenderImpl();
			mail.setHost("127.0.0.1");
			mail.setPort(blackHole.getLocalPort());
			Properties timeouts = new Properties();
			timeouts.setProperty("mail.smtp.connectiontimeout", "2000");
			timeouts.setProperty("mail.smtp.timeout", "2000");
			mail.setJavaMailProperties(timeouts);
			SmtpState smtp = new SmtpState();
			MailHealthIndicator indicator = new MailHealthIndicator(mail, smtp, rows, settings(Duration.ofMillis(300)));
			try {
				long start = System.nanoTime();
				Health first = indicator.health();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(took).as("the health call waited only max-wait").isLessThan(Duration.ofMillis(1500));
				assertThat(first.getStatus()).isEqualTo(Status.UNKNOWN);
				assertThat(first.getDetails()).containsEntry("host", "127.0.0.1")
					.containsEntry("port", blackHole.getLocalPort())
					.containsKey("error")
					.doesNotContainKey("reachable");
				assertThat(first.getDetails().get("outbox")).isEqualTo(java.util.Map.of("backlog", 3L, "failed", 1L));

				// The check goes on in the background and records the timeout when it comes.
				long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
				while (!"DOWN".equals(smtp.status()) && System.nanoTime() < deadline) {
					Thread.sleep(100);
				}
				assertThat(smtp.status()).isEqualTo("DOWN");
				start = System.nanoTime();
				Health later = indicator.health();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
				assertThat(later.getStatus()).isEqualTo(MailHealthIndicator.DEGRADED);
				assertThat(later.getDetails()).containsEntry("reachable", false)
					.containsEntry("checkedBy", "health check");
				assertThat((String) later.getDetails().get("error")).containsIgnoringCase("timeout");
			}
			finally {
				indicator.destroy();
			}
		}
	}

	@Test
	void theDemoFileSinkIsUpAndNamedAndNoServerAtAllIsDegraded() {
		when(rows.count(OutboxState.PENDING)).thenReturn(0L);
		when(rows.count(OutboxState.FAILED)).thenReturn(0L);
		MailHealthIndicator file = new MailHealthIndicator(new FileMailSender(Path.of("target/mail-health")),
				new SmtpState(), rows, settings(Duration.ofSeconds(1)));
		Health fileHealth = file.health();
		assertThat(fileHealth.getStatus()).isEqualTo(Status.UP);
		assertThat(fileHealth.getDetails()).containsEntry("sink", "file").containsKey("directory").containsKey("note");
		assertThat((String) fileHealth.getDetails().get("directory")).endsWith("mail-health");

		Health none = new MailHealthIndicator(null, new SmtpState(), rows, settings(Duration.ofSeconds(1))).health();
		assertThat(none.getStatus()).isEqualTo(MailHealthIndicator.DEGRADED);
		assertThat(none.getDetails()).containsEntry("sink", "none");
		assertThat((String) none.getDetails().get("error")).contains("spring.mail.host");
	}

	@Test
	void aDatabaseOutageLeavesTheSmtpAnswerAndNamesTheOutboxAsUncounted() {
		when(rows.count(OutboxState.PENDING)).thenThrow(new DataAccessResourceFailureException("no connection"));
		SmtpState smtp = new SmtpState();
		smtp.succeeded();
		JavaMailSenderImpl mail = new JavaMailSenderImpl();
		mail.setHost("127.0.0.1");
		mail.setPort(25);
		Health health = new MailHealthIndicator(mail, smtp, rows, settings(Duration.ofSeconds(1))).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("checkedBy", "outbox sender");
		assertThat(health.getDetails().get("outbox").toString()).contains("cannot count the outbox");
	}

	@Test
	void aDatabaseThatDoesNotAnswerHoldsTheHealthCallNoLongerThanMaxWait() {
		when(rows.count(OutboxState.PENDING)).thenAnswer(invocation -> {
			Thread.sleep(3000); // waiting for the pool's connection-timeout
			throw new DataAccessResourceFailureException("connection timed out");
		});
		SmtpState smtp = new SmtpState();
		smtp.succeeded();
		MailHealthIndicator indicator = new MailHealthIndicator(new FileMailSender(Path.of("target/mail-health")), smtp,
				rows, settings(Duration.ofMillis(300)));
		try {
			for (int call = 0; call < 2; call++) {
				long start = System.nanoTime();
				Health health = indicator.health();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails().get("outbox").toString()).contains("the database does not answer");
			}
		}
		finally {
			indicator.destroy();
		}
	}

	private static MailSettings settings(Duration maxWait) {
		return new MailSettings("Leadflow <noreply@leadflow.example>", "http://localhost:8080", "secret", null,
				Path.of("target/mail-templates"), Path.of("target/mail-health"), null, null,
				new MailSettings.Health(Duration.ofMinutes(1), maxWait));
	}

}
