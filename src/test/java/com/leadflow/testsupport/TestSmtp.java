package com.leadflow.testsupport;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The suite's SMTP server: one GreenMail per JVM on the fixed port of application-test.yml
 * (127.0.0.1:3025), so the application under test needs no per-class properties and every test
 * class keeps sharing one Spring context. Started on first use; tests may stop and start it to
 * play an SMTP outage (a restart begins with an empty store).
 */
public final class TestSmtp {

	public static final int PORT = Integer.getInteger("leadflow.test.smtp-port", 3025);

	private static GreenMail server;

	private TestSmtp() {
	}

	/** The running server, started on first use. */
	public static synchronized GreenMail get() {
		if (server == null) {
			server = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
				.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(TestSmtp::stop, "greenmail-stop"));
		}
		else if (!server.isRunning()) {
			server.start();
		}
		return server;
	}

	/** Plays an SMTP outage: connections are refused until {@link #get()} starts the server again. */
	public static synchronized void stop() {
		if (server != null && server.isRunning()) {
			server.stop();
		}
	}

	/** Received messages whose Message-ID is one of {@code messageIds} (every copy counts). */
	public static List<MimeMessage> withMessageIds(java.util.Collection<String> messageIds) {
		return Arrays.stream(get().getReceivedMessages()).filter(m -> messageIds.contains(messageId(m))).toList();
	}

	public static String messageId(MimeMessage message) {
		try {
			return message.getMessageID();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static List<MimeMessage> to(String address) {
		return Arrays.stream(get().getReceivedMessages()).filter(m -> {
			try {
				return m.getAllRecipients() != null && Arrays.stream(m.getAllRecipients())
					.anyMatch(a -> Objects.equals(address.toLowerCase(), a.toString().toLowerCase()));
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

}
