package com.leadflow.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mail.javamail.MimeMessageHelper;

/** The demo profile's mail sink: every mail an .eml file, Message-ID and encoding as sent by SMTP. */
class FileMailSenderTest {

	@TempDir
	Path dir;

	@Test
	void writesEachMailAsAnEmlFileKeepingItsMessageId() throws Exception {
		FileMailSender sender = new FileMailSender(dir.resolve("mail"));
		MimeMessage message = sender.createMimeMessage();
		MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
		helper.setFrom("Leadflow <noreply@leadflow.example>");
		helper.setTo("taro@example.co.jp");
		helper.setSubject("導入事例のご紹介");
		helper.setText("山田様\n本文です。");
		message.setHeader("Message-ID", "<fixed-id@leadflow>");

		sender.send(message);

		List<Path> files;
		try (var list = Files.list(dir.resolve("mail"))) {
			files = list.toList();
		}
		assertThat(files).hasSize(1);
		assertThat(files.get(0).getFileName().toString()).endsWith(".eml");
		try (InputStream in = Files.newInputStream(files.get(0))) {
			MimeMessage read = new MimeMessage(Session.getInstance(new Properties()), in);
			assertThat(read.getMessageID()).isEqualTo("<fixed-id@leadflow>");
			assertThat(read.getSubject()).isEqualTo("導入事例のご紹介");
			assertThat(read.getHeader("Subject")[0]).startsWith("=?UTF-8?");
			assertThat(read.getContentType()).containsIgnoringCase("charset=UTF-8");
			assertThat((String) read.getContent()).isEqualTo("山田様\n本文です。");
		}
	}

}
