package com.leadflow.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.leadflow.common.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Sends the outbox after commit. Each round claims due rows one by one with a conditional UPDATE
 * (so of several nodes exactly one gets a row), re-checks mail to leads against do-not-contact,
 * sends the batch over one SMTP connection with the Message-ID fixed when the row was written,
 * and records each mail's result as soon as the server answered it (before the next mail goes
 * out): SENT; PENDING again after a transient failure (4xx, connection refused) with exponential
 * backoff; FAILED after a permanent one (5xx) or the last attempt.
 *
 * <p>Exactly once, and where it is only "at least once": a node that dies (or stalls past the
 * claim timeout) after the SMTP server accepted a mail but before it marked the row SENT leaves
 * the row SENDING; once the claim expires another node sends it again, with the same Message-ID,
 * on which receiving systems deduplicate. Because every mail is marked right after its acceptance,
 * that window holds one mail per node at a time, never a whole batch. No other path sends a row
 * twice.
 *
 * <p>Runs on its own single-thread executor (like the import poller) and only when
 * {@code leadflow.mail.outbox.worker-enabled}; tests call {@link #sendDue()} by hand.
 */
public class OutboxSender implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);

	private final OutboxRepository rows;

	private final JavaMailSender mail;

	private final MailSettings settings;

	private final String node;

	private final SmtpState smtp;

	private final Counter sent;

	private final Counter failed;

	private volatile ScheduledExecutorService executor;

	OutboxSender(OutboxRepository rows, JavaMailSender mail, MailSettings settings, String node, SmtpState smtp,
			MeterRegistry meters) {
		this.rows = rows;
		this.mail = mail;
		this.settings = settings;
		this.node = node;
		this.smtp = smtp;
		this.sent = Counter.builder("leadflow.mail.sent").description("Mails the SMTP server accepted").register(meters);
		this.failed = Counter.builder("leadflow.mail.given.up")
			.description("Mails given up as FAILED (permanent error or attempts used up)")
			.register(meters);
	}

	String node() {
		return node;
	}

	/** Sends everything due now, batch after batch; returns how many mails the SMTP server accepted. */
	int sendDue() {
		if (mail == null) {
			return 0;
		}
		int accepted = 0;
		int batchSize = settings.outbox().batchSize();
		while (true) {
			Instant now = Clock.now();
			List<String> due = rows.dueIds(now, batchSize);
			List<OutboxRow> mine = claim(due, now);
			Result result = deliver(mine);
			accepted += result.sent();
			// Stop when nothing more is due, or when the server fails us: the rest waits for the next poll.
			if (due.size() < batchSize || result.transientFailures() > 0) {
				return accepted;
			}
		}
	}

	/** Claims the given due rows for this node; the rows another node claimed first are left out. */
	List<OutboxRow> claim(List<String> ids, Instant now) {
		Instant until = now.plus(settings.outbox().claimTimeout());
		List<OutboxRow> mine = new ArrayList<>();
		for (String id : ids) {
			if (rows.claim(id, node, now, until)) {
				rows.findById(id).ifPresent(mine::add);
			}
		}
		return mine;
	}

	record Result(int sent, int transientFailures) {
	}

	Result deliver(List<OutboxRow> claimed) {
		Map<MimeMessage, OutboxRow> batch = new IdentityHashMap<>();
		List<MimeMessage> messages = new ArrayList<>();
		for (OutboxRow row : claimed) {
			if (row.kind().toLead() && (row.leadId() == null || !rows.leadMayBeMailed(row.leadId()))) {
				// Unsubscribed (or closed) between the decision and now: the lead is never mailed again.
				rows.markCancelled(row.id(), node, "lead is do-not-contact or closed");
				continue;
			}
			try {
				MimeMessage message = message(row);
				batch.put(message, row);
				messages.add(message);
			}
			catch (MessagingException | RuntimeException ex) {
				giveUp(row, "cannot build the message: " + ex.getMessage());
			}
		}
		if (messages.isEmpty()) {
			return new Result(0, 0);
		}
		int accepted = 0;
		int transientFailures = 0;
		Exception firstFailure = null;
		int failures = 0;
		try (SmtpConnection connection = connect()) {
			for (MimeMessage message : messages) {
				OutboxRow row = batch.get(message);
				Exception failure = connection.send(message);
				if (failure == null) {
					// Marked as soon as the server accepted it, before the next mail of the batch goes out: a
					// node dying now leaves this one mail (not the whole batch) to be sent again.
					if (rows.markSent(row.id(), node, Clock.now())) {
						sent.increment();
					}
					accepted++;
					continue;
				}
				failures++;
				firstFailure = firstFailure == null ? failure : firstFailure;
				String error = describe(failure);
				if (isPermanent(failure)) {
					giveUp(row, error);
				}
				else if (row.attempts() >= settings.outbox().maxAttempts()) {
					giveUp(row, "gave up after " + row.attempts() + " attempts: " + error);
				}
				else {
					transientFailures++;
					rows.markRetry(row.id(), node, Clock.now().plus(backoff(row.attempts())), error);
				}
			}
		}
		// The server is up when it took anything; a refused recipient alone does not make it DOWN.
		if (accepted > 0) {
			smtp.succeeded();
		}
		else {
			smtp.failed(describe(firstFailure));
		}
		if (failures > 0) {
			log.warn("{} of {} mails not sent ({} will be retried): {}", failures, messages.size(), transientFailures,
					describe(firstFailure));
		}
		return new Result(accepted, transientFailures);
	}

	/** One SMTP session of a batch: each {@link #send} answers null when the server accepted the mail. */
	private interface SmtpConnection extends AutoCloseable {

		Exception send(MimeMessage message);

		@Override
		void close();

	}

	/**
	 * One connection for the whole batch when the sender is Spring's {@link JavaMailSenderImpl} (what
	 * {@code spring.mail.*} configures), so each mail can be marked the moment it is accepted; any other
	 * sender (the demo's file sink) gets the mails one call at a time.
	 */
	private SmtpConnection connect() {
		if (!(mail instanceof JavaMailSenderImpl impl)) {
			return new SmtpConnection() {
				@Override
				public Exception send(MimeMessage message) {
					try {
						mail.send(message);
						return null;
					}
					catch (MailException ex) {
						return ex;
					}
				}

				@Override
				public void close() {
				}
			};
		}
		Transport transport;
		try {
			transport = impl.getSession().getTransport(impl.getProtocol() != null ? impl.getProtocol() : "smtp");
			transport.connect(impl.getHost(), impl.getPort(), emptyToNull(impl.getUsername()),
					emptyToNull(impl.getPassword()));
		}
		catch (MessagingException | RuntimeException ex) {
			// Nothing went out: every mail of the batch failed with the connection.
			Exception failure = new MailSendException("Mail server connection failed", ex);
			return new SmtpConnection() {
				@Override
				public Exception send(MimeMessage message) {
					return failure;
				}

				@Override
				public void close() {
				}
			};
		}
		return new SmtpConnection() {
			@Override
			public Exception send(MimeMessage message) {
				try {
					// As JavaMailSenderImpl does: a sent date, and the Message-ID kept through saveChanges().
					if (message.getSentDate() == null) {
						message.setSentDate(new java.util.Date());
					}
					String messageId = message.getMessageID();
					message.saveChanges();
					if (messageId != null) {
						message.setHeader("Message-ID", messageId);
					}
					Address[] to = message.getAllRecipients();
					transport.sendMessage(message, to != null ? to : new Address[0]);
					return null;
				}
				catch (MessagingException | RuntimeException ex) {
					// RuntimeException: the connection broke off mid-batch (IllegalStateException "Not connected").
					return ex;
				}
			}

			@Override
			public void close() {
				try {
					transport.close();
				}
				catch (MessagingException ex) {
					log.debug("Closing the SMTP connection failed", ex);
				}
			}
		};
	}

	private static String emptyToNull(String value) {
		return value == null || value.isEmpty() ? null : value;
	}

	/** The MIME message of a row: UTF-8 throughout, the stored Message-ID and headers. */
	MimeMessage message(OutboxRow row) throws MessagingException {
		MimeMessage message = mail.createMimeMessage();
		MimeMessageHelper helper = new MimeMessageHelper(message, row.html() != null, "UTF-8");
		helper.setFrom(settings.from());
		helper.setTo(row.to());
		// JavaMail encodes a non-ASCII subject as RFC 2047 (=?UTF-8?B?…?=).
		helper.setSubject(row.subject());
		if (row.html() != null) {
			helper.setText(row.text(), row.html());
		}
		else {
			helper.setText(row.text(), false);
		}
		for (Map.Entry<String, String> header : row.headers().entrySet()) {
			message.setHeader(header.getKey(), header.getValue());
		}
		// JavaMailSenderImpl keeps an explicitly set Message-ID through saveChanges().
		message.setHeader("Message-ID", row.messageId());
		return message;
	}

	Duration backoff(int attempts) {
		Duration base = settings.outbox().backoffBase();
		Duration max = settings.outbox().backoffMax();
		Duration delay = base.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
		return delay.compareTo(max) > 0 || delay.isNegative() ? max : delay;
	}

	private void giveUp(OutboxRow row, String error) {
		if (rows.markFailed(row.id(), node, error)) {
			failed.increment();
			log.warn("Mail {} ({} to {}) FAILED: {}", row.messageId(), row.kind(), row.to(), error);
		}
	}

	/** A 5xx reply or an unusable address will not get better by retrying. */
	static boolean isPermanent(Throwable failure) {
		for (Throwable t = failure; t != null; t = next(t)) {
			int code = -1;
			if (t instanceof SMTPAddressFailedException address) {
				code = address.getReturnCode();
			}
			else if (t instanceof SMTPSenderFailedException sender) {
				code = sender.getReturnCode();
			}
			else if (t instanceof SMTPSendFailedException send) {
				code = send.getReturnCode();
			}
			else if (t instanceof AddressException) {
				return true;
			}
			if (code >= 500 && code < 600) {
				return true;
			}
		}
		return false;
	}

	private static Throwable next(Throwable t) {
		if (t instanceof MessagingException messaging && messaging.getNextException() != null
				&& messaging.getNextException() != t) {
			return messaging.getNextException();
		}
		return t.getCause() == t ? null : t.getCause();
	}

	static String describe(Throwable failure) {
		StringBuilder text = new StringBuilder();
		int depth = 0;
		for (Throwable t = failure; t != null && depth < 4; t = next(t), depth++) {
			if (!text.isEmpty()) {
				text.append(" / ");
			}
			text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
		}
		return text.toString().replaceAll("[\\r\\n]+", " ");
	}

	// ---------------------------------------------------------------- background worker

	@Override
	public synchronized void start() {
		if (!settings.outbox().workerEnabled() || executor != null) {
			return;
		}
		if (mail == null) {
			log.warn("No JavaMailSender configured (spring.mail.host): mail stays in the outbox until one is");
			return;
		}
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, task -> {
			Thread thread = new Thread(task, "mail-outbox");
			thread.setDaemon(true);
			return thread;
		});
		long interval = settings.outbox().pollInterval().toMillis();
		pool.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
		executor = pool;
	}

	private void poll() {
		try {
			sendDue();
		}
		catch (RuntimeException ex) {
			// The schedule must survive (a database hiccup); claimed rows are retried once their claim expires.
			log.warn("Mail outbox poll failed; retrying in {}", settings.outbox().pollInterval(), ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService pool = executor;
		if (pool == null) {
			return;
		}
		pool.shutdown();
		try {
			if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
				log.warn("Mail outbox did not stop within 30 s; its claimed mails are sent again after the claim timeout");
				pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		executor = null;
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

}
