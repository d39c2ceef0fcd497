package com.leadflow.mail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed unsubscribe links: {@code /unsubscribe?lead=<id>&sig=<HMAC-SHA256(secret, lead id)>}.
 * The secret is configuration, never generated at start: links in mail already sent must keep
 * working after a restart and on every node.
 */
public class UnsubscribeLinks {

	private static final Logger log = LoggerFactory.getLogger(UnsubscribeLinks.class);

	/** The fixed secret of the demo profile (application.yml); never for a real deployment. */
	static final String DEMO_SECRET = "leadflow-demo-unsubscribe-secret-not-for-production";

	private static final int MIN_SECRET_LENGTH = 16;

	private final byte[] secret;

	private final String baseUrl;

	private final String mailto;

	UnsubscribeLinks(String secret, String publicBaseUrl, String mailto) {
		if (secret == null || secret.isBlank()) {
			throw new IllegalStateException("leadflow.mail.unsubscribe-secret (LEADFLOW_MAIL_UNSUBSCRIBE_SECRET) is not set. "
					+ "It signs the unsubscribe links of every mail to a lead and must stay the same across restarts "
					+ "and nodes: set it to a random string of 32 characters or more.");
		}
		if (secret.length() < MIN_SECRET_LENGTH) {
			throw new IllegalStateException("leadflow.mail.unsubscribe-secret is too short: use 32 characters or more");
		}
		if (DEMO_SECRET.equals(secret)) {
			log.warn("Unsubscribe links are signed with the demo profile's fixed secret: "
					+ "set leadflow.mail.unsubscribe-secret for a real deployment");
		}
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
		this.mailto = mailto;
	}

	public String url(String leadId) {
		return baseUrl + "/unsubscribe?lead=" + encode(leadId) + "&sig=" + sign(leadId);
	}

	/** The List-Unsubscribe header value: the one-click URL and a mailbox a person reads (RFC 2369, RFC 8058). */
	String listUnsubscribeHeader(String leadId) {
		String header = "<" + url(leadId) + ">";
		if (mailto != null && !mailto.isBlank()) {
			header += ", <mailto:" + mailto + "?subject=unsubscribe%20" + encode(leadId) + ">";
		}
		return header;
	}

	boolean verify(String leadId, String signature) {
		if (leadId == null || signature == null || leadId.isEmpty() || leadId.length() > 64) {
			return false;
		}
		// Constant time: the comparison must not tell an attacker how much of a guess was right.
		return MessageDigest.isEqual(sign(leadId).getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	String sign(String leadId) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			byte[] digest = mac.doFinal(("unsubscribe:" + leadId).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
