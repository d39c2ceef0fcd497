package com.leadflow.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.StringUtils;

/** Wiring of mail: templates, unsubscribe links, the outbox sender, the demo file sink, metrics, info and health. */
@Configuration
class MailConfig {

	private static final Logger log = LoggerFactory.getLogger(MailConfig.class);

	@Bean
	MailTemplates mailTemplates(MailSettings settings) {
		return new MailTemplates(settings.templatesDir());
	}

	@Bean
	UnsubscribeLinks unsubscribeLinks(MailSettings settings) {
		String mailto = StringUtils.hasText(settings.unsubscribeMailto()) ? settings.unsubscribeMailto()
				: addressOf(settings.from());
		return new UnsubscribeLinks(settings.unsubscribeSecret(), settings.publicBaseUrl(), mailto);
	}

	@Bean
	SmtpState smtpState() {
		return new SmtpState();
	}

	@Bean
	OutboxSender outboxSender(OutboxRepository rows, ObjectProvider<JavaMailSender> mail, MailSettings settings,
			SmtpState smtp, MeterRegistry meters) {
		return new OutboxSender(rows, mail.getIfAvailable(), settings, nodeId(), smtp, meters);
	}

	/**
	 * The demo profile with no SMTP host: mail goes to {@code .eml} files, so the app runs with no
	 * set-up. Registered before Boot's mail auto-configuration, which then backs off.
	 */
	@Bean
	@Profile("demo")
	@Conditional(NoSmtpHost.class)
	JavaMailSender fileMailSender(MailSettings settings) {
		log.info("No spring.mail.host set: mails are written to {} (demo profile)", settings.fileSinkDir().toAbsolutePath());
		return new FileMailSender(settings.fileSinkDir());
	}

	static class NoSmtpHost implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.mail.host"));
		}

	}

	/** Backlog and failures as gauges (read on scrape from an indexed count); the sent counter lives in the sender. */
	@Bean
	MeterBinder outboxMeters(OutboxRepository rows) {
		return registry -> {
			Gauge.builder("leadflow.mail.outbox.backlog", rows, r -> r.count(OutboxState.PENDING))
				.description("Mails waiting to be sent (PENDING)")
				.register(registry);
			Gauge.builder("leadflow.mail.outbox.failed", rows, r -> r.count(OutboxState.FAILED))
				.description("Mails given up (FAILED); listed at /api/mail/outbox?state=FAILED")
				.register(registry);
		};
	}

	/**
	 * The {@code mail} health contributor (the name replaces Boot's own mail indicator, which would
	 * turn the node DOWN while SMTP is down); {@code management.health.mail.enabled=false} turns it off.
	 */
	@Bean
	@ConditionalOnEnabledHealthIndicator("mail")
	MailHealthIndicator mailHealthContributor(ObjectProvider<JavaMailSender> mail, SmtpState smtp,
			OutboxRepository rows, MailSettings settings) {
		return new MailHealthIndicator(mail.getIfAvailable(), smtp, rows, settings);
	}

	/** The SMTP server as this node last saw it, in /actuator/info (managers): informs without marking the app DOWN. */
	@Bean
	InfoContributor mailInfo(SmtpState smtp, OutboxRepository rows) {
		return builder -> {
			Map<String, Object> mail = new LinkedHashMap<>();
			mail.put("smtp", smtp.details());
			mail.put("backlog", rows.count(OutboxState.PENDING));
			mail.put("failed", rows.count(OutboxState.FAILED));
			builder.withDetail("mail", mail);
		};
	}

	private static String addressOf(String from) {
		try {
			return new InternetAddress(from).getAddress();
		}
		catch (AddressException ex) {
			throw new IllegalStateException("leadflow.mail.from is not a valid address: " + from, ex);
		}
	}

	/** Host, process id and a random part: a restarted process is a new node and never mistakes old claims for its own. */
	private static String nodeId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
		}
		if (host.length() > 80) {
			host = host.substring(0, 80);
		}
		return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
	}

}
