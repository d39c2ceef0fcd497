package com.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.cookie;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.Test;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;

/** The pages' security, languages and endpoints, without a browser. */
@LeadflowTest
class PagesTest extends LeadflowApiSupport {

	static UserRequestPostProcessor as(String user, String... groups) {
		return user(user).authorities(java.util.Arrays.stream(groups)
			.map(g -> new org.springframework.security.core.authority.SimpleGrantedAuthority(Groups.authority(g)))
			.toList());
	}

	@Test
	void pagesNeedALoginAndTheLoginPageIsOurs() throws Exception {
		mvc.perform(get("/inbox")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("http://localhost/login"));
		mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("name=\"_csrf\"")))
			.andExpect(header().string("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'")))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("Referrer-Policy", "same-origin"));
	}

	@Test
	void formsAreRefusedWithoutTheCsrfToken() throws Exception {
		String rep = freshRep("csrf");
		JsonNode lead = createLead("NURTURE", rep);
		mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS)).param("outcome", "NO_ANSWER"))
			.andExpect(status().isForbidden());
		assertThat(openActionRow(lead.get("id").asText()).get("id")).isEqualTo(actionId(lead));
		mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS))
			.with(csrf())
			.param("outcome", "NO_ANSWER")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/inbox"));
		assertThat(openActionRow(lead.get("id").asText()).get("id")).isNotEqualTo(actionId(lead));
		// The done action's form is gone; the page says so instead of offering it again.
		mvc.perform(get("/actions/{id}/form", actionId(lead)).with(as(rep, Groups.REPS))).andExpect(status().isConflict());
	}

	@Test
	void pagesLinkTheirScriptsAndStylesAsWrittenAndEachIsServed() throws Exception {
		String rep = freshRep("assets");
		String leadId = createLead("NURTURE", rep).get("id").asText();
		java.util.Set<String> assets = new java.util.TreeSet<>();
		for (var page : java.util.List.of(get("/inbox").with(as(rep, Groups.REPS)),
				get("/leads/{id}", leadId).with(as(rep, Groups.REPS)),
				get("/dashboard").with(as("manager", Groups.MANAGERS)))) {
			String html = mvc.perform(page).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:src|href)=\"(/(?:webjars|css|js)/[^\"]+)\"")
				.matcher(html);
			while (m.find()) {
				assets.add(m.group(1));
			}
		}
		// Not rewritten by a resource URL filter (it looked up every link of a page in every jar):
		// webjars are linked without their version ...
		assertThat(assets).contains("/webjars/htmx.org/dist/htmx.min.js", "/webjars/chart.js/dist/chart.umd.min.js",
				"/webjars/bpmn-js/dist/bpmn-viewer.production.min.js", "/css/leadflow.css", "/js/leadflow.js");
		// ... and each one is served, the webjars found by the resource chain when requested.
		for (String asset : assets) {
			assertThat(mvc.perform(get(asset).with(as(rep, Groups.REPS))).andReturn().getResponse())
				.as(asset)
				.satisfies(r -> {
					assertThat(r.getStatus()).isEqualTo(200);
					assertThat(r.getContentAsByteArray()).hasSizeGreaterThan(100);
				});
		}
	}

	@Test
	void theStartPageDependsOnTheRole() throws Exception {
		mvc.perform(get("/").with(as("rep1", Groups.REPS))).andExpect(redirectedUrl("/inbox"));
		mvc.perform(get("/").with(as("sales1", Groups.SALES))).andExpect(redirectedUrl("/inbox"));
		mvc.perform(get("/").with(as("manager", Groups.MANAGERS))).andExpect(redirectedUrl("/dashboard"));
		mvc.perform(get("/").with(as("marketing", Groups.MARKETING))).andExpect(redirectedUrl("/intake"));
	}

	@Test
	void rolesSeeOnlyTheirPages() throws Exception {
		mvc.perform(get("/intake").with(as("rep1", Groups.REPS))).andExpect(status().isForbidden());
		mvc.perform(get("/inbox").with(as("marketing", Groups.MARKETING))).andExpect(status().isForbidden());
		mvc.perform(get("/intake").with(as("marketing", Groups.MARKETING))).andExpect(status().isOk());
		mvc.perform(get("/inbox").with(as("sales1", Groups.SALES))).andExpect(status().isOk());
	}

	@Test
	void managersMayOpenARepsInboxAndRepsOnlyTheirOwn() throws Exception {
		String rep = freshRep("inbox");
		String company = createLead("NURTURE", rep).get("company").asText();
		mvc.perform(get("/inbox").param("assignee", rep).with(as("manager", Groups.MANAGERS)))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString(company)));
		mvc.perform(get("/inbox").param("assignee", rep).with(as("rep2", Groups.REPS))).andExpect(status().isForbidden());
		mvc.perform(get("/inbox").with(as("rep2", Groups.REPS)))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(company))));
	}

	@Test
	void theProcessDiagramFollowsTheLeadsReadRules() throws Exception {
		String rep = freshRep("diagram");
		String other = freshRep("other");
		String leadId = createLead("NURTURE", rep).get("id").asText();
		mvc.perform(get("/leads/{id}/process", leadId).with(as(rep, Groups.REPS)))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("application/xml"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"UserTask_WorkNextAction\"")));
		mvc.perform(get("/leads/{id}/process", leadId).with(as(other, Groups.REPS))).andExpect(status().isForbidden());
		mvc.perform(get("/leads/{id}", leadId).with(as(other, Groups.REPS))).andExpect(status().isForbidden());
		mvc.perform(get("/leads/{id}", leadId).with(as("marketing", Groups.MARKETING))).andExpect(status().isOk());
		mvc.perform(get("/leads/{id}", "no-such-lead").with(as("manager", Groups.MANAGERS))).andExpect(status().isNotFound());
	}

	@Test
	void theLanguageComesFromTheBrowserUntilTheUserPicksOne() throws Exception {
		mvc.perform(get("/login").header("Accept-Language", "ja,en;q=0.8"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("<h1>ログイン</h1>")));
		mvc.perform(get("/login").header("Accept-Language", "de-DE,de"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("<h1>Log in</h1>")));
		mvc.perform(get("/login").param("lang", "ja").header("Accept-Language", "en"))
			.andExpect(cookie().value("leadflow-lang", "ja"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("<h1>ログイン</h1>")));
		mvc.perform(get("/login").cookie(new jakarta.servlet.http.Cookie("leadflow-lang", "ja")).header("Accept-Language", "en"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("<h1>ログイン</h1>")));
	}

	@Test
	void anActionSubmittedAgainAfterItWasDoneSaysSoWithoutTheForm() throws Exception {
		String rep = freshRep("twice");
		JsonNode lead = createLead("NURTURE", rep);
		for (int i = 0; i < 2; i++) {
			var result = mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS))
				.with(csrf())
				.param("outcome", "NO_ANSWER"));
			if (i == 0) {
				result.andExpect(redirectedUrl("/inbox"));
				continue;
			}
			result.andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.containsString("data-not-open")))
				.andExpect(content().string(org.hamcrest.Matchers.containsString("This action is no longer open.")))
				.andExpect(content().string(org.hamcrest.Matchers.containsString("href=\"/inbox\"")))
				.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("data-save"))))
				.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("data-outcome-form"))));
		}
	}

	@Test
	void theLanguageSwitchKeepsTheQueryOfAGetPageEncoded() throws Exception {
		mvc.perform(get("/dashboard").param("from", "2026-11-01").param("to", "2026-11-30").param("lang", "en")
			.with(as("manager", Groups.MANAGERS)))
			.andExpect(content().string(org.hamcrest.Matchers
				.containsString("href=\"/dashboard?from=2026-11-01&amp;to=2026-11-30&amp;lang=ja\"")));
		mvc.perform(get("/inbox").param("assignee", "rep1").param("x", "\"><script>&").with(as("manager", Groups.MANAGERS)))
			.andExpect(content().string(org.hamcrest.Matchers
				.containsString("href=\"/inbox?assignee=rep1&amp;x=%22%3E%3Cscript%3E%26&amp;lang=en\"")));
		// After a POST the page shown is a form re-rendered: the switch goes to the start page.
		String rep = freshRep("langpost");
		JsonNode lead = createLead("NURTURE", rep);
		mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS))
			.with(csrf())
			.param("outcome", "MEETING_SET"))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("href=\"/?lang=ja\"")));
	}

	@Test
	void anEmailActionsFormSaysThatSentMailsItThroughLeadflowAndListsSentFirst() throws Exception {
		String rep = freshRep("mail");
		java.util.Map<String, Object> body = leadBody("NURTURE", rep);
		body.remove("phone");
		JsonNode lead = createLead(body);
		assertThat(lead.path("nextAction").path("type").asText()).isEqualTo("EMAIL");
		String email = lead.path("email").asText();

		String form = mvc.perform(get("/actions/{id}/form", actionId(lead)).with(as(rep, Groups.REPS)).header("HX-Request", "true"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(form).contains("data-sends-mail").contains(email).contains("Follow-up email");
		assertThat(form.indexOf("value=\"SENT\"")).isPositive()
			.isLessThan(form.indexOf("value=\"DISQUALIFIED\""))
			.isLessThan(form.indexOf("value=\"DO_NOT_CONTACT\""));
		// The inbox shows the address without a mailto link, so the mail is not sent twice.
		String inbox = mvc.perform(get("/inbox").param("upcomingPage", "0").with(as(rep, Groups.REPS)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(inbox).contains(email).doesNotContain("mailto:" + email);
	}

	@Test
	void theFormOfAnActionDoneMeanwhileSaysSoInsteadOfNothingHappening() throws Exception {
		String rep = freshRep("done");
		JsonNode lead = createLead("NURTURE", rep);
		complete(actionId(lead), rep, "NO_ANSWER");

		// The inbox row's htmx request swaps only a 2xx answer: the notice comes as one.
		String row = mvc.perform(get("/actions/{id}/form", actionId(lead)).with(as(rep, Groups.REPS)).header("HX-Request", "true"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(row).contains("data-not-open").doesNotContain("data-outcome-form");
		String page = mvc.perform(get("/actions/{id}/form", actionId(lead)).with(as(rep, Groups.REPS)))
			.andExpect(status().isConflict())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("data-not-open").doesNotContain("data-outcome-form");
		// Another rep learns nothing about it.
		mvc.perform(get("/actions/{id}/form", actionId(lead)).with(as("rep2", Groups.REPS)).header("HX-Request", "true"))
			.andExpect(status().isForbidden());
	}

	@Test
	void anActionWhoseProcessWasDeletedOutsideLeadflowIsNotSavedAndTheFormSaysWhatToDo() throws Exception {
		String rep = freshRep("gone");
		JsonNode lead = createLead("NURTURE", rep);
		String leadId = lead.get("id").asText();
		// As Cockpit would: the lead process deleted, with the route it called.
		String leadProcess = runtimeService.createProcessInstanceQuery()
			.processInstanceBusinessKey(leadId)
			.processDefinitionKey(com.leadflow.process.LeadProcess.KEY)
			.singleResult()
			.getId();
		runtimeService.deleteProcessInstance(leadProcess, "cockpit");

		for (String language : java.util.List.of("en", "ja")) {
			String page = mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS))
				.with(csrf())
				.header("Accept-Language", language)
				.param("outcome", "NO_ANSWER"))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).contains("data-error=\"form\"")
				.contains(language.equals("en") ? "changed outside Leadflow" : "Leadflow の外で変更")
				.doesNotContain("completed already", "すでに完了");
		}
		assertThat(openActionRow(leadId).get("id")).isEqualTo(actionId(lead));
	}

	@Test
	void anOutcomeTheRulesRefuseComesBackAsTheFormWithTheTypedValues() throws Exception {
		String rep = freshRep("refused");
		JsonNode lead = createLead("NURTURE", rep);
		mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS))
			.with(csrf())
			.param("outcome", "MEETING_SET")
			.param("hearing[budget]", "<b>500万円</b>")
			.param("hearing[current-tool]", "Excel")
			.param("note", "部長同席で"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("data-error=\"meetingAt\"")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("value=\"&lt;b&gt;500万円&lt;/b&gt;\"")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("name=\"hearing[current-tool]\" value=\"Excel\"")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString(">部長同席で</textarea>")));
		assertThat(openActionRow(lead.get("id").asText()).get("id")).isEqualTo(actionId(lead));
	}

	@Test
	void refusedOutcomesAreExplainedInTheLanguageOfThePageWithTimesInTheLeadsZoneWhileTheApiKeepsItsEnglish()
			throws Exception {
		clockAt(tokyo(2026, 12, 2, 10, 0));
		String rep = freshRep("i18n");
		JsonNode lead = createLead("NURTURE", rep);
		String actionId = actionId(lead);

		String evening = outcomePage(actionId, rep, "ja", "outcome", "CALLBACK", "nextDue", "2026-12-08T20:00");
		assertThat(evening).contains("次のアクションを確認してください。",
				"2026-12-08 20:00 は営業時間外です（リードのタイムゾーン Asia/Tokyo、営業時間は営業日の 09:00〜18:00）。"
						+ "次に指定できる日時は 2026-12-09 09:00 です。")
			.doesNotContain("outside the business calendar", "+09:00");
		assertThat(outcomePage(actionId, rep, "ja", "outcome", "CALLBACK", "nextDue", "2026-12-05T14:00"))
			.contains("2026-12-05（土曜日）はリードのタイムゾーン（Asia/Tokyo）で営業日ではありません。");
		assertThat(outcomePage(actionId, rep, "ja", "outcome", "CALLBACK", "nextDue", "2026-12-01T14:00"))
			.contains("未来の日時を指定してください。");
		assertThat(outcomePage(actionId, rep, "ja", "outcome", "MEETING_SET")).contains("商談日時を確認してください。",
				"結果が「商談設定」のときは商談日時を入力してください。");
		assertThat(outcomePage(actionId, rep, "ja", "outcome", "SENT")).contains("この結果はここでは使えません。",
				"コールアクションで使える結果から選んでください。");
		assertThat(outcomePage(actionId, rep, "ja", "outcome", "NO_ANSWER", "note", "x".repeat(2001)))
			.contains("2000文字以内で入力してください。");
		assertThat(outcomePage(actionId, rep, "en", "outcome", "CALLBACK", "nextDue", "2026-12-08T20:00")).contains(
				"2026-12-08 20:00 is outside the business calendar: outside working hours in the lead\u2019s time zone"
						+ " (Asia/Tokyo), which are 09:00\u201318:00 on working days. The next possible time is 2026-12-09 09:00.");
		assertThat(openActionRow(lead.get("id").asText()).get("id")).isEqualTo(actionId);

		// The API answers the same callback in English, word for word as before.
		String problem = postComplete(actionId, rep, callback(tokyo(2026, 12, 8, 20, 0))).andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(problem).contains("next.dueAt: is outside the business calendar: 20:00 on 2026-12-08 is outside working"
				+ " hours in the lead's time zone (Asia/Tokyo); working hours are 09:00\u201318:00 on working days;"
				+ " next possible time is 2026-12-09T09:00+09:00");
	}

	/** The outcome form posted with these fields, as the page answers it in that language. */
	String outcomePage(String actionId, String rep, String language, String... fields) throws Exception {
		var request = post("/actions/{id}/complete", actionId).with(as(rep, Groups.REPS))
			.with(csrf())
			.header("Accept-Language", language);
		for (int i = 0; i < fields.length; i += 2) {
			request = request.param(fields[i], fields[i + 1]);
		}
		return mvc.perform(request)
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
	}

}
