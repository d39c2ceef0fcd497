package com.leadflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnsubscribeLinksTest {

	static final String SECRET = "a-test-secret-of-more-than-thirty-two-chars";

	@Test
	void aLinkVerifiesWithTheSameSecretOnAnyNodeAndAfterARestart() {
		UnsubscribeLinks node1 = new UnsubscribeLinks(SECRET, "https://leadflow.example.com/", "optout@example.com");
		UnsubscribeLinks node2 = new UnsubscribeLinks(SECRET, "https://leadflow.example.com", null);
		String url = node1.url("lead-1");
		assertThat(url).startsWith("https://leadflow.example.com/unsubscribe?lead=lead-1&sig=");
		String sig = url.substring(url.indexOf("&sig=") + 5);
		assertThat(node2.verify("lead-1", sig)).isTrue();
		assertThat(node2.verify("lead-2", sig)).isFalse();
		assertThat(node2.verify("lead-1", sig.substring(1))).isFalse();
		assertThat(new UnsubscribeLinks(SECRET + "x", "https://x", null).verify("lead-1", sig)).isFalse();
		assertThat(node1.listUnsubscribeHeader("lead-1"))
			.isEqualTo("<" + url + ">, <mailto:optout@example.com?subject=unsubscribe%20lead-1>");
		assertThat(node2.listUnsubscribeHeader("lead-1")).isEqualTo("<" + url + ">");
	}

	@Test
	void refusesToStartWithoutASecret() {
		assertThatThrownBy(() -> new UnsubscribeLinks(null, "https://x", null)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("LEADFLOW_MAIL_UNSUBSCRIBE_SECRET");
		assertThatThrownBy(() -> new UnsubscribeLinks(" ", "https://x", null)).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> new UnsubscribeLinks("short", "https://x", null)).isInstanceOf(IllegalStateException.class);
	}

}
