package com.leadflow.web;

import static com.leadflow.web.PagesTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

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

}
