package com.leadflow.mail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@code GET /actuator/health/mail}: the SMTP server as this node sees it (host, port, reachable
 * or not with the last error, when and by whom last checked), or the demo file sink, plus the
 * outbox's backlog and failures.
 *
 * <p>An unreachable server is {@link #DEGRADED}, not DOWN: mail waits in the outbox and is
 * retried, so the node stays in service (application.yml orders DEGRADED between OUT_OF_SERVICE
 * and UP and maps it to HTTP 200; the liveness and readiness groups leave mail out).
 *
 * <p>The check connects to the server itself ({@link JavaMailSenderImpl#testConnection()}), but
 * only when the newest observation (its own or the outbox sender's) is older than
 * {@code leadflow.mail.health.check-interval}, on a background thread, and a health call waits at
 * most {@code leadflow.mail.health.max-wait} for it: a stalled server never holds the health
 * endpoint longer than that (the answer is then the last known state, or UNKNOWN). The outbox
 * counts are waited for just as long, so a database outage does not hold it either.
 */
class MailHealthIndicator implements HealthIndicator, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(MailHealthIndicator.class);

	/**
	 * Working, but mail does not go out right now (the SMTP server is unreachable or not configured).
	 * No description: the root status is public, the reason is in the details for managers.
	 */
	static final Status DEGRADED = new Status("DEGRADED");

	private final JavaMailSender mail;

	private final SmtpState smtp;

	private final OutboxRepository rows;

	private final MailSettings.Health settings;

	private final MailSettings mailSettings;

	private final ExecutorService checker = daemon("mail-health-check");

	private final ExecutorService counter = daemon("mail-health-outbox");

	private Future<?> running;

	private Future<Map<String, Object>> counting;

	private volatile boolean stale;

	MailHealthIndicator(JavaMailSender mail, SmtpState smtp, OutboxRepository rows, MailSettings settings) {
		this.mail = mail;
		this.smtp = smtp;
		this.rows = rows;
		this.mailSettings = settings;
		this.settings = settings.health();
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		Health.Builder health;
		if (mail == null) {
			details.put("sink", "none");
			details.put("error", "No SMTP server configured (spring.mail.host): mail stays in the outbox until one is");
			health = Health.status(DEGRADED);
		}
		else if (mail instanceof FileMailSender) {
			details.put("sink", "file");
			details.put("directory", mailSettings.fileSinkDir().toAbsolutePath().normalize().toString());
			details.put("note", "demo profile without spring.mail.host: mails are written as .eml files, no SMTP server is used");
			health = Health.up();
		}
		else {
			details.put("sink", "smtp");
			if (mail instanceof JavaMailSenderImpl impl) {
				details.put("host", impl.getHost());
				details.put("port", port(impl));
				checkIfStale(impl);
			}
			health = smtp(details);
		}
		details.put("outbox", outbox());
		details.values().removeIf(java.util.Objects::isNull);
		return health.withDetails(details).build();
	}

	private Health.Builder smtp(Map<String, Object> details) {
		String status = smtp.status();
		Health.Builder health = switch (status) {
			case "UP" -> Health.up();
			case "DOWN" -> Health.status(DEGRADED);
			default -> Health.unknown();
		};
		details.put("reachable", "UNKNOWN".equals(status) ? null : "UP".equals(status));
		if ("DOWN".equals(status)) {
			details.put("error", smtp.lastError());
		}
		else if ("UNKNOWN".equals(status)) {
			details.put("error", "not checked yet (a check is running)");
		}
		details.put("lastCheckedAt", text(smtp.lastCheckedAt()));
		details.put("checkedBy", smtp.checkedBy());
		details.put("lastSuccessAt", text(smtp.lastSuccessAt()));
		details.put("lastFailureAt", text(smtp.lastFailureAt()));
		return health;
	}

	/**
	 * The outbox's counts, waited for at most {@code max-wait}: while the database is away a count
	 * would wait for the pool's connection-timeout, and the database's own health says DOWN anyway.
	 */
	private Map<String, Object> outbox() {
		Future<Map<String, Object>> count;
		synchronized (this) {
			if (counting != null && !counting.isDone()) {
				// The previous count still waits for the database: do not pile up another.
				return Map.of("error", "cannot count the outbox: the database does not answer");
			}
			counting = counter.submit(this::count);
			count = counting;
		}
		try {
			return count.get(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return Map.of("error", "cannot count the outbox: the database does not answer");
		}
		catch (ExecutionException ex) {
			return Map.of("error", "cannot count the outbox: " + ex.getCause().getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Map.of("error", "interrupted");
		}
	}

	private Map<String, Object> count() {
		Map<String, Object> outbox = new LinkedHashMap<>();
		try {
			outbox.put("backlog", rows.count(OutboxState.PENDING));
			outbox.put("failed", rows.count(OutboxState.FAILED));
		}
		catch (DataAccessException ex) {
			// The database's own health says DOWN; mail reports what it knows of SMTP all the same.
			return Map.of("error", "cannot count the outbox: " + ex.getClass().getSimpleName());
		}
		return outbox;
	}

	/** Starts a connection test when the newest observation is too old, and waits a bounded time for it. */
	private void checkIfStale(JavaMailSenderImpl impl) {
		Instant last = smtp.lastCheckedAt();
		if (!stale && last != null && last.plus(settings.checkInterval()).isAfter(Instant.now())) {
			return;
		}
		Future<?> check;
		synchronized (this) {
			if (running == null || running.isDone()) {
				stale = false;
				running = checker.submit(() -> test(impl));
			}
			check = running;
		}
		try {
			check.get(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// Still connecting: answer with what is known; the check records its result when it ends.
		}
		catch (ExecutionException ex) {
			log.warn("Mail health check failed unexpectedly", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void test(JavaMailSenderImpl impl) {
		try {
			impl.testConnection();
			smtp.succeeded(SmtpState.BY_HEALTH_CHECK);
		}
		catch (MessagingException | RuntimeException ex) {
			smtp.failed(SmtpState.BY_HEALTH_CHECK, OutboxSender.describe(ex));
		}
	}

	/** The next health call connects to the server again, whatever the interval says (tests). */
	void checkOnNextCall() {
		stale = true;
	}

	private static int port(JavaMailSenderImpl impl) {
		if (impl.getPort() > 0) {
			return impl.getPort();
		}
		return "smtps".equalsIgnoreCase(impl.getProtocol()) ? 465 : 25;
	}

	private static String text(Instant at) {
		return at == null ? null : at.toString();
	}

	private static ExecutorService daemon(String name) {
		return Executors.newSingleThreadExecutor(task -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void destroy() {
		checker.shutdownNow();
		counter.shutdownNow();
	}

}
