package com.leadflow.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMailMessage;

/**
 * A mail "server" for the demo profile: each message becomes an {@code .eml} file (open it with
 * any mail client) in a folder. Written to a temporary name and moved, so a reader never sees half a mail.
 */
class FileMailSender implements JavaMailSender {

	private final Path dir;

	private final Session session = Session.getInstance(new Properties());

	FileMailSender(Path dir) {
		this.dir = dir;
	}

	@Override
	public MimeMessage createMimeMessage() {
		return new MimeMessage(session);
	}

	@Override
	public MimeMessage createMimeMessage(java.io.InputStream contentStream) throws MailException {
		try {
			return new MimeMessage(session, contentStream);
		}
		catch (MessagingException ex) {
			throw new MailPreparationException("Could not parse the MIME message", ex);
		}
	}

	@Override
	public void send(MimeMessage... mimeMessages) throws MailException {
		Map<Object, Exception> failed = new LinkedHashMap<>();
		for (MimeMessage message : mimeMessages) {
			try {
				write(message);
			}
			catch (MessagingException | IOException ex) {
				failed.put(message, ex);
			}
		}
		if (!failed.isEmpty()) {
			throw new MailSendException(failed);
		}
	}

	@Override
	public void send(SimpleMailMessage... simpleMessages) throws MailException {
		MimeMessage[] messages = new MimeMessage[simpleMessages.length];
		for (int i = 0; i < simpleMessages.length; i++) {
			MimeMailMessage message = new MimeMailMessage(createMimeMessage());
			simpleMessages[i].copyTo(message);
			messages[i] = message.getMimeMessage();
		}
		send(messages);
	}

	private void write(MimeMessage message) throws MessagingException, IOException {
		if (message.getSentDate() == null) {
			message.setSentDate(new Date());
		}
		// saveChanges() would replace an explicitly set Message-ID (the outbox's): keep it, as SMTP sending does.
		String messageId = message.getMessageID();
		message.saveChanges();
		if (messageId != null) {
			message.setHeader("Message-ID", messageId);
		}
		Files.createDirectories(dir);
		String name = System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
		Path temp = dir.resolve(name + ".tmp");
		try (OutputStream out = Files.newOutputStream(temp)) {
			message.writeTo(out);
		}
		Files.move(temp, dir.resolve(name + ".eml"), StandardCopyOption.ATOMIC_MOVE);
	}

}
