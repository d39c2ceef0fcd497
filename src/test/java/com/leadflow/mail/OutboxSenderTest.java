package com.leadflow.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;

import org.springframework.mail.MailSendException;

/** Which SMTP failures are retried: 4xx and connection trouble are, 5xx and unusable addresses are not. */
class OutboxSenderTest {

	@Test
	void aPermanentReplyIsNotRetriedATemporaryOneIs() throws Exception {
		InternetAddress to = new InternetAddress("taro@example.co.jp");
		assertThat(OutboxSender.isPermanent(new SendFailedException("Invalid Addresses",
				new SMTPAddressFailedException(to, "RCPT TO", 550, "5.1.1 no such user")))).isTrue();
		assertThat(OutboxSender.isPermanent(new SendFailedException("Invalid Addresses",
				new SMTPAddressFailedException(to, "RCPT TO", 452, "4.2.2 mailbox full")))).isFalse();
		assertThat(OutboxSender.isPermanent(new MailSendException("Mail server connection failed",
				new MessagingException("Couldn't connect to host", new ConnectException("Connection refused"))))).isFalse();
		assertThat(OutboxSender.isPermanent(new jakarta.mail.internet.AddressException("Illegal address"))).isTrue();
	}

}
