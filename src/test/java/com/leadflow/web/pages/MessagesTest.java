package com.leadflow.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.Route;

import org.junit.jupiter.api.Test;

/** Every label of the pages exists in English and in Japanese. */
class MessagesTest {

	static final Path TEMPLATES = Path.of("src/main/resources/templates");

	/** Templates of the working day (dashboard and audit have their own bundles). */
	static final Set<String> OURS = Set.of("layout.html", "outcome.html", "login.html", "error.html", "inbox.html",
			"lead.html", "action.html", "intake.html");

	@Test
	void englishAndJapaneseHaveTheSameKeys() throws IOException {
		assertThat(load("i18n/messages_ja.properties").stringPropertyNames())
			.isEqualTo(load("i18n/messages.properties").stringPropertyNames());
	}

	@Test
	void everyKeyTheTemplatesNameExists() throws IOException {
		Set<String> keys = load("i18n/messages.properties").stringPropertyNames();
		Set<String> used = new TreeSet<>();
		Pattern message = Pattern.compile("#\\{([a-zA-Z][a-zA-Z.-]*)[(}]|#messages\\.msg\\('([a-zA-Z.-]+)'\\)");
		try (Stream<Path> files = Files.walk(TEMPLATES)) {
			for (Path file : files.filter(f -> OURS.contains(f.getFileName().toString())).toList()) {
				// Thymeleaf comments (usage notes) name no real keys.
				Matcher m = message.matcher(Files.readString(file).replaceAll("(?s)<!--/\\*.*?\\*/-->", ""));
				while (m.find()) {
					used.add(m.group(1) != null ? m.group(1) : m.group(2));
				}
			}
		}
		assertThat(used).isNotEmpty();
		assertThat(keys).containsAll(used);
	}

	@Test
	void everyEnumShownOnThePagesHasALabel() throws IOException {
		Set<String> keys = load("i18n/messages.properties").stringPropertyNames();
		for (Outcome o : Outcome.values()) {
			assertThat(keys).contains("outcome." + o);
		}
		for (ActionType t : ActionType.values()) {
			assertThat(keys).contains("type." + t);
		}
		for (Route r : Route.values()) {
			assertThat(keys).contains("route." + r);
		}
		for (LeadStatus s : LeadStatus.values()) {
			assertThat(keys).contains("status." + s, "lead.noNext." + s, "flash.status." + s);
		}
		for (LeadEventType e : LeadEventType.values()) {
			assertThat(keys).contains("event." + e);
		}
		for (String item : new PagesProperties(java.util.List.of("budget", "authority", "need", "timeline", "current-tool"))
			.hearingItems()) {
			assertThat(keys).contains("hearing." + item);
		}
	}

	private static Properties load(String resource) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = MessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
