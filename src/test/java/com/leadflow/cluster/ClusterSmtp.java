package com.leadflow.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The cluster's SMTP server: GreenMail on a free port of 127.0.0.1, which the test can stop (an SMTP
 * outage: connections refused) and start again on the same port. A restart begins with an empty
 * store, so the test reads what arrived before stopping it.
 */
final class ClusterSmtp implements AutoCloseable {

	private final int port;

	private GreenMail server;

	ClusterSmtp(int port) {
		this.port = port;
	}

	int port() {
		return port;
	}

	synchronized void start() {
		if (server != null && server.isRunning()) {
			return;
		}
		server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
			.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
		server.start();
	}

	synchronized void stop() {
		if (server != null && server.isRunning()) {
			server.stop();
		}
	}

	/** Recipient → Message-IDs of every copy received for it, for recipients starting with {@code prefix}. */
	synchronized Map<String, List<String>> received(String prefix) {
		Map<String, List<String>> byRecipient = new LinkedHashMap<>();
		if (server == null) {
			return byRecipient;
		}
		for (MimeMessage message : server.getReceivedMessages()) {
			try {
				Address[] to = message.getAllRecipients();
				if (to == null) {
					continue;
				}
				for (Address address : to) {
					String recipient = address.toString().toLowerCase(Locale.ROOT);
					if (recipient.startsWith(prefix)) {
						byRecipient.computeIfAbsent(recipient, r -> new ArrayList<>()).add(message.getMessageID());
					}
				}
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return byRecipient;
	}

	@Override
	public void close() {
		stop();
	}

}
