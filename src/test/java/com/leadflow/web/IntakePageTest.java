package com.leadflow.web;

import static com.leadflow.web.PagesTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The intake page's one-lead form, without a browser. */
@LeadflowTest
class IntakePageTest extends LeadflowApiSupport {

	@Test
	void aKnownPersonIsRecordedOnTheExistingLeadAndTheNoticeNamesThatLeadsCompany() throws Exception {
		Map<String, Object> body = leadBody("NURTURE", null);
		body.put("company", "株式会社レビュー一 " + UUID.randomUUID().toString().substring(0, 6));
		JsonNode existing = createLead(body);
		String typed = "株式会社手入力X";

		MvcResult submitted = mvc.perform(post("/intake").with(as(MARKETING, Groups.MARKETING))
			.with(csrf())
			.param("externalId", unique("manual"))
			.param("route", "NURTURE")
			.param("company", typed)
			.param("email", body.get("email").toString())
			.param("timeZone", "Asia/Tokyo")
			.param("source", "EXHIBITION")).andExpect(redirectedUrl("/intake")).andReturn();
		String page = mvc.perform(get("/intake").with(as(MARKETING, Groups.MARKETING)).flashAttrs(submitted.getFlashMap()))
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("Known person, recorded on the existing lead:")
			.contains("href=\"/leads/" + existing.get("id").asText() + "\"")
			.contains(">" + existing.get("company").asText() + "</a>")
			.doesNotContain(typed);
	}

	@Test
	void theImportsProgressLineAndItsRowNumbersAreExplainedInBothLanguages() throws Exception {
		String en = mvc.perform(get("/intake?lang=en").with(as(MARKETING, Groups.MARKETING)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(en).contains("data-msg-counts=\"{0} / {1} rows: {2} created, {3} deduplicated")
			.contains("first row after the header (row 1), one less than the spreadsheet");
		String ja = mvc.perform(get("/intake?lang=ja").with(as(MARKETING, Groups.MARKETING)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(ja).contains("data-msg-counts=\"{0} / {1} 行：新規 {2} 件、重複 {3} 件").contains("ヘッダーの次の行を 1 として");
	}

	@Test
	void refusedInputIsExplainedInJapaneseOnTheJapanesePageWhileTheApiKeepsItsEnglish() throws Exception {
		String company = "株式会社検証 " + UUID.randomUUID().toString().substring(0, 6);

		// Bean Validation, by constraint and field.
		Map<String, String> errors = errors(Map.of("company", "長".repeat(201), "email", "kimura-at-example", "phone",
				"03-1234-abcd"), "ja");
		assertThat(errors).containsEntry("company", "200文字以内で入力してください。")
			.containsEntry("email", "メールアドレスの形式が正しくありません（例：name@example.co.jp）。")
			.containsEntry("phone", "数字、スペース、+ ( ) - . のみ使えます。");
		assertThat(errors(Map.of("company", company, "email", "kimura-at-example"), "en"))
			.containsEntry("email", "Enter a well-formed email address (name@example.com).");
		// The intake's own rules.
		assertThat(errors(Map.of("company", company), "ja")).containsEntry("email",
				"メールアドレスか電話番号のどちらかが必要です。");
		assertThat(errors(Map.of("company", company, "phone", "03-1234-5678", "timeZone", "Mars/Olympus"), "ja"))
			.containsEntry("timeZone", "タイムゾーン「Mars/Olympus」は不明です。Asia/Tokyo のような IANA 名を使ってください。");
		assertThat(errors(Map.of("company", company, "phone", "03-1234-5678", "owner", "nobody"), "ja"))
			.containsEntry("owner", "「nobody」はインサイドセールスの有効なメンバーではありません。");
		assertThat(errors(Map.of("company", company, "phone", "03-1234-5678", "route", "SPACE"), "ja"))
			.containsEntry("route", "「SPACE」は選べない値です。");
		assertThat(errors(Map.of("company", company, "phone", "03-1234-5678", "owner", "nobody"), "en"))
			.containsEntry("owner", "\u201cnobody\u201d is not an active member of the reps group.");

		// The API answers the same input in English, as before, whatever the client's language.
		Map<String, Object> body = leadBody("NURTURE", null);
		body.put("email", "kimura-at-example");
		String problem = mvc.perform(post("/api/leads").with(as(MARKETING, Groups.MARKETING))
			.header("Accept-Language", "ja")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body))).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
		assertThat(problem).contains("\"status\":400", "must be a well-formed email address");
		body.put("email", "kimura@example.com");
		body.put("owner", "nobody");
		problem = mvc.perform(post("/api/leads").with(as(MARKETING, Groups.MARKETING))
			.header("Accept-Language", "ja")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body))).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
		assertThat(problem).contains("unknown owner 'nobody': not an active member of the reps group");
	}

	/** The field errors of the form sent with these fields (and defaults for the others), as the page shows them. */
	private Map<String, String> errors(Map<String, String> fields, String language) throws Exception {
		Map<String, String> form = new LinkedHashMap<>(Map.of("externalId", unique("manual"), "route", "NURTURE",
				"timeZone", "Asia/Tokyo", "source", "EXHIBITION"));
		form.putAll(fields);
		MockHttpServletRequestBuilder request = post("/intake").with(as(MARKETING, Groups.MARKETING))
			.with(csrf())
			.header("Accept-Language", language);
		for (Map.Entry<String, String> field : form.entrySet()) {
			request = request.param(field.getKey(), field.getValue());
		}
		String page = mvc.perform(request).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
		Map<String, String> errors = new LinkedHashMap<>();
		Matcher error = Pattern.compile("data-error=\"(\\w+)\"[^>]*>([^<]*)<").matcher(page);
		while (error.find()) {
			errors.put(error.group(1), error.group(2));
		}
		assertThat(errors).as("errors on the page").isNotEmpty();
		return errors;
	}

}
