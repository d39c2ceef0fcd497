package com.leadflow.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of mail ({@code leadflow.mail.*}); the SMTP server itself is Spring Boot's {@code spring.mail.*}.
 *
 * @param from sender of every mail ("Name &lt;address&gt;")
 * @param publicBaseUrl where the app is reachable from a lead's mail client: unsubscribe links are built on it
 * @param unsubscribeSecret HMAC key of the unsubscribe links; must stay the same across restarts and nodes
 * (links in sent mail must keep working), hence required and never generated
 * @param unsubscribeMailto address of the {@code mailto:} part of List-Unsubscribe (read by a person); empty: the
 * {@code from} address
 * @param templatesDir folder of mail templates managers may add or change without a rebuild; a template not found
 * there comes from the classpath folder {@code mail-templates/}
 * @param fileSinkDir where the demo profile writes mails as {@code .eml} files when no SMTP host is set
 * @param outbox the sender of the outbox
 * @param notices mails to staff, each switchable
 * @param health the {@code mail} health check of the SMTP server
 */
@ConfigurationProperties("leadflow.mail")
public record MailSettings(@DefaultValue("Leadflow <noreply@leadflow.example>") String from,
		@DefaultValue("http://localhost:8080") String publicBaseUrl, String unsubscribeSecret, String unsubscribeMailto,
		@DefaultValue("./mail-templates") Path templatesDir, @DefaultValue("./data/mail") Path fileSinkDir,
		@DefaultValue Outbox outbox, @DefaultValue Notices notices, @DefaultValue Health health) {

	/**
	 * @param workerEnabled whether this node sends from the outbox in the background (tests drive it by hand)
	 * @param pollInterval pause between two looks for due mail
	 * @param batchSize mails claimed and sent over one SMTP connection at a time
	 * @param maxAttempts attempts before a mail is given up as FAILED (listed for managers)
	 * @param backoffBase wait after the first failed attempt; doubled after each further one
	 * @param backoffMax longest wait between two attempts
	 * @param claimTimeout how long a claim protects a mail being sent; after it another node may send it again
	 * (with the same Message-ID). Must exceed the time a batch takes at the SMTP timeouts.
	 */
	public record Outbox(@DefaultValue("true") boolean workerEnabled, @DefaultValue("5s") Duration pollInterval,
			@DefaultValue("20") int batchSize, @DefaultValue("8") int maxAttempts,
			@DefaultValue("30s") Duration backoffBase, @DefaultValue("1h") Duration backoffMax,
			@DefaultValue("5m") Duration claimTimeout) {
	}

	/**
	 * @param checkInterval how old the newest observation of the SMTP server (a delivery or a connection test) may be
	 * before a health call connects to the server again
	 * @param maxWait longest a health call waits for a running connection test; after it the last known state is
	 * reported and the test goes on in the background
	 */
	public record Health(@DefaultValue("60s") Duration checkInterval, @DefaultValue("2s") Duration maxWait) {
	}

	public record Notices(@DefaultValue Notice handoff, @DefaultValue Digest digest, @DefaultValue Notice escalation,
			@DefaultValue Notice auditAlert) {
	}

	public record Notice(@DefaultValue("true") boolean enabled) {
	}

	/**
	 * @param enabled whether reps get a digest of today's and overdue actions on working mornings
	 * @param time earliest time (team time zone) of the digest; it goes out until noon
	 * @param cron when a node looks whether the digest is due ({@code -} turns the schedule off)
	 */
	public record Digest(@DefaultValue("true") boolean enabled, @DefaultValue("08:00") LocalTime time,
			@DefaultValue("0 */5 * * * *") String cron) {
	}

}
