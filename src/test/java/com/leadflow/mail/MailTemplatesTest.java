package com.leadflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template lookup: the managers' folder first, the built-in templates after, two languages. */
class MailTemplatesTest {

	@TempDir
	Path dir;

	static final Map<String, Object> VARS = Map.of("company", "株式会社テスト & Co", "contactName", "山田 太郎",
			"repName", "市川 玲", "repEmail", "rep1@leadflow.example", "unsubscribeUrl", "http://x/unsubscribe?lead=1&sig=2");

	@Test
	void rendersTheBuiltInTemplatesInBothLanguages() {
		MailTemplates templates = new MailTemplates(dir);
		for (String name : new String[] { "case-study", "seminar-invitation", "follow-up" }) {
			MailTemplates.Rendered ja = templates.render(name, "ja", VARS);
			assertThat(ja.language()).isEqualTo("ja");
			assertThat(ja.subject()).contains("株式会社テスト & Co").doesNotContain("\n");
			// Plain text is not HTML-escaped; the HTML alternative is.
			assertThat(ja.text()).startsWith("株式会社テスト & Co\n山田 太郎 様").contains("市川 玲");
			assertThat(ja.html()).contains("株式会社テスト &amp; Co", "市川 玲").doesNotContain("th:text", "xmlns:th");
			MailTemplates.Rendered en = templates.render(name, "en", VARS);
			assertThat(en.text()).startsWith("Dear 山田 太郎,").contains("Best regards,\n市川 玲");
		}
		assertThat(templates.names()).contains("case-study", "seminar-invitation", "follow-up", "notice-handoff");
	}

	@Test
	void aTemplateInTheFolderWinsAndANewOneNeedsNoRebuild() throws Exception {
		Files.writeString(dir.resolve("case-study_en.subject.txt"), "Our story for [(${company})]", StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("case-study_en.txt"), "Hi [(${contactName})]", StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("webinar_ja.subject.txt"), "ウェビナーのご案内 [(${company})]", StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("webinar_ja.txt"), "[(${contactName})] 様", StandardCharsets.UTF_8);
		MailTemplates templates = new MailTemplates(dir);

		MailTemplates.Rendered overridden = templates.render("case-study", "en", VARS);
		assertThat(overridden.subject()).isEqualTo("Our story for 株式会社テスト & Co");
		assertThat(overridden.text()).isEqualTo("Hi 山田 太郎");
		assertThat(overridden.html()).as("the built-in HTML of the same name still applies").isNotNull();
		assertThat(templates.render("case-study", "ja", VARS).text()).as("Japanese still built in").contains("導入事例");

		assertThat(templates.exists("webinar")).isTrue();
		assertThat(templates.names()).contains("webinar");
		// Written in Japanese only: an English-speaking lead gets the Japanese one rather than nothing.
		MailTemplates.Rendered webinar = templates.render("webinar", "en", VARS);
		assertThat(webinar.language()).isEqualTo("ja");
		assertThat(webinar.text()).isEqualTo("山田 太郎 様");
		assertThat(webinar.html()).isNull();
	}

	@Test
	void namesCannotLeaveTheFolder() {
		MailTemplates templates = new MailTemplates(dir);
		assertThat(templates.exists("../etc/passwd")).isFalse();
		assertThat(templates.exists("Case-Study")).isFalse();
		assertThatThrownBy(() -> templates.render("../case-study", "ja", VARS)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> templates.render("no-such", "ja", VARS)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void leadsInTokyoReadJapaneseAllOthersEnglish() {
		assertThat(MailTemplates.languageOf(ZoneId.of("Asia/Tokyo"))).isEqualTo("ja");
		assertThat(MailTemplates.languageOf(ZoneId.of("Europe/Berlin"))).isEqualTo("en");
		assertThat(MailTemplates.languageOf(ZoneId.of("Asia/Seoul"))).isEqualTo("en");
	}

}
