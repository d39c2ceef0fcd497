package com.leadflow.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The dashboard page through the real security chain (form login sessions): who may see what, and
 * that the figures of a known day of work are on the page, in English and in Japanese.
 */
@LeadflowTest
class DashboardPageTest extends LeadflowApiSupport {

	/** Wednesday 2026-12-02 10:00 in Tokyo: Dec 1 and 2 are the working days elapsed of December. */
	static final LocalDateTime WEDNESDAY_10 = LocalDateTime.of(2026, 12, 2, 10, 0);

	String rep;

	@BeforeEach
	void freshRepAtAFixedTime() {
		clockAt(WEDNESDAY_10);
		rep = freshRep("dash");
	}

	@Test
	void managerSeesTheFiguresOfAKnownDayAgainstTargets() throws Exception {
		knownDayOfWork();
		JsonNode api = read(mvc.perform(get("/api/kpis").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("rep", rep).with(httpBasic(MANAGER, MANAGER))).andReturn());
		long callsPerDay = api.path("targets").path("callsPerDay").asLong();

		String page = page(get("/dashboard").param("from", "2026-12-01").param("to", "2026-12-31").param("rep", rep),
				MANAGER, Locale.ENGLISH);

		// Actual against target: 10 calls of 2 working days × callsPerDay expected by today.
		String calls = element(page, "kpi-calls");
		assertThat(calls).contains(">Calls<", ">10<", "2 of 23 working days elapsed",
				(2 * callsPerDay) + " by today (pro-rated)", "data-status=\"behind\"", ">Behind<");
		assertThat(element(page, "kpi-contactRate")).contains(">Contact rate<", ">40.0%<", "Contacts 4 / calls 10",
				"data-status=\"on-track\"", ">On track<");
		assertThat(element(page, "kpi-meetings")).contains(">Meetings obtained<", ">1<", "Meeting rate 25.0% of contacts",
				"data-status=\"on-track\"");
		assertThat(element(page, "kpi-hearing")).contains(">Hearing items<", ">8<", "2.00 per contact",
				"data-status=\"on-track\"");
		assertThat(element(page, "kpi-opportunityRate")).contains(">Opportunity rate<", ">100.0%<",
				"Opportunities 1 / meetings held 1", "data-status=\"on-track\"");
		double coverage = api.path("rates").path("touchCoverage90d").asDouble();
		assertThat(element(page, "kpi-touchCoverage")).contains(">Touch frequency<",
				String.format(Locale.ENGLISH, ">%.1f%%<", coverage * 100));

		// Funnel: calls → contacts → meetings → meetings held → opportunities.
		assertThat(count(element(page, "funnel-calls"))).isEqualTo("10");
		assertThat(count(element(page, "funnel-contacts"))).isEqualTo("4");
		assertThat(count(element(page, "funnel-meetings"))).isEqualTo("1");
		assertThat(count(element(page, "funnel-meetingsHeld"))).isEqualTo("1");
		assertThat(count(element(page, "funnel-opportunities"))).isEqualTo("1");
		assertThat(element(page, "funnel-calls")).contains("width:100%");
		assertThat(element(page, "funnel-contacts")).contains("width:40%");

		// Charts: rendered into the page, day by day and week by week.
		JsonNode charts = charts(page);
		JsonNode daily = charts.path("daily");
		int dec2 = indexOf(daily.path("periods"), "2026-12-02");
		assertThat(daily.path("periods").get(0).asText()).isEqualTo("2026-12-01");
		assertThat(daily.path("periods")).hasSize(31);
		assertThat(daily.path("calls").get(dec2).asLong()).isEqualTo(10);
		assertThat(daily.path("callsTarget").get(dec2).asDouble()).isEqualTo(callsPerDay);
		assertThat(daily.path("contactRate").get(dec2).asDouble()).isEqualTo(40.0);
		assertThat(daily.path("calls").get(dec2 - 1).asLong()).isZero();
		assertThat(daily.path("contactRate").get(dec2 - 1).isNull()).as("no calls, no rate").isTrue();
		assertThat(daily.path("calls").get(dec2 + 1).isNull()).as("the future has no actual").isTrue();
		assertThat(daily.path("callsTarget").get(indexOf(daily.path("periods"), "2026-12-05")).isNull())
			.as("no target on Saturday").isTrue();
		JsonNode weekly = charts.path("weekly");
		assertThat(weekly.path("periods").get(0).asText()).isEqualTo("2026-11-30");
		assertThat(weekly.path("calls").get(0).asLong()).isEqualTo(10);
		assertThat(weekly.path("callsTarget").get(0).asDouble()).as("Dec 1–4").isEqualTo(4.0 * callsPerDay);
		assertThat(charts.path("labels").path("callsTarget").asText()).isEqualTo("Calls target (pro-rated)");

		// The rep-by-rep table.
		String row = rowOf(page, rep);
		assertThat(row).contains(">10<", ">4<", "40.0%", "25.0%", "2.00", "100.0%");
	}

	@Test
	void theTeamViewListsEveryRepAndTheJapanesePageSpeaksTheFieldsTerms() throws Exception {
		knownDayOfWork();
		String team = page(get("/dashboard").param("from", "2026-12-01").param("to", "2026-12-31"), MANAGER,
				Locale.JAPANESE);
		assertThat(team).contains("コール数", "コンタクト率", "商談獲得数", "ヒアリング数", "接触頻度", "案件化率", "ファネル",
				"日次推移", "週次推移", "担当者別", "チーム全体", "今週", "今月", "今四半期");
		assertThat(rowOf(team, rep)).contains(">10<", "40.0%");
		assertThat(element(team, "kpi-calls")).contains("23営業日中2日経過", "遅れ");
		assertThat(charts(team).path("labels").path("calls").asText()).isEqualTo("コール数");
		// The team's counts include this rep's day.
		JsonNode api = read(mvc.perform(get("/api/kpis").param("from", "2026-12-01").param("to", "2026-12-31")
			.with(httpBasic(MANAGER, MANAGER))).andReturn());
		assertThat(count(element(team, "funnel-calls"))).isEqualTo(api.path("counts").path("calls").asText());
	}

	@Test
	void defaultsToTheCurrentMonthWithQuickRanges() throws Exception {
		String page = page(get("/dashboard"), MANAGER, Locale.ENGLISH);
		assertThat(page).contains("value=\"2026-12-01\"", "value=\"2026-12-31\"");
		assertThat(element(page, "quick-month")).contains("btn-primary", "from=2026-12-01", "to=2026-12-31");
		assertThat(element(page, "quick-week")).contains("from=2026-11-30", "to=2026-12-06");
		assertThat(element(page, "quick-quarter")).contains("from=2026-10-01", "to=2026-12-31");

		String reversed = page(get("/dashboard").param("from", "2026-12-31").param("to", "2026-12-01"), MANAGER,
				Locale.ENGLISH);
		assertThat(element(reversed, "period-error")).contains("The start date is after the end date");
		String garbage = page(get("/dashboard").param("from", "2026-13-01"), MANAGER, Locale.ENGLISH);
		assertThat(element(garbage, "period-error")).contains("YYYY-MM-DD");
	}

	@Test
	void anUnknownUserOrSomeoneWhoIsNotARepIsSaidSoInsteadOfBareZeros() throws Exception {
		String nobody = page(get("/dashboard").param("rep", "nobody"), MANAGER, Locale.ENGLISH);
		assertThat(element(nobody, "rep-notice")).contains("data-notice=\"dashboard.error.unknownUser\"",
				"There is no user \u201cnobody\u201d");
		assertThat(element(page(get("/dashboard").param("rep", "nobody"), MANAGER, Locale.JAPANESE), "rep-notice"))
			.contains("ユーザー「nobody」は存在しません");

		String marketing = page(get("/dashboard").param("rep", MARKETING), MANAGER, Locale.ENGLISH);
		assertThat(element(marketing, "rep-notice")).contains("data-notice=\"dashboard.error.notRep\"",
				"\u201cmarketing\u201d is not a member of the reps group");
		assertThat(element(page(get("/dashboard").param("rep", MARKETING), MANAGER, Locale.JAPANESE), "rep-notice"))
			.contains("「marketing」はインサイドセールス");

		assertThat(page(get("/dashboard").param("rep", rep), MANAGER, Locale.ENGLISH)).doesNotContain("rep-notice");
		assertThat(page(get("/dashboard"), MANAGER, Locale.ENGLISH)).doesNotContain("rep-notice");
		// The KPI API answers as before: zeros for anyone a manager names.
		mvc.perform(get("/api/kpis").param("rep", "nobody").with(httpBasic(MANAGER, MANAGER))).andExpect(status().isOk());
	}

	@Test
	void aRepSeesItsOwnFiguresOnly() throws Exception {
		MockHttpSession session = login(rep);
		String own = body(mvc.perform(get("/dashboard").session(session)).andExpect(status().isOk()).andReturn());
		assertThat(own).contains("dashboard-summary").contains(rep);
		assertThat(own).doesNotContain("id=\"rep-table\"", "id=\"review-form\"", "name=\"rep\"");
		mvc.perform(get("/dashboard").param("rep", rep).session(session)).andExpect(status().isOk());
		mvc.perform(get("/dashboard").param("rep", "rep2").session(session)).andExpect(status().isForbidden());
		mvc.perform(post("/dashboard/reviews").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("note", "自己レビュー").session(session).with(csrf())).andExpect(status().isForbidden());
	}

	@Test
	void marketingIsRefusedAndAnonymousIsSentToTheLoginPage() throws Exception {
		mvc.perform(get("/dashboard").session(login(MARKETING))).andExpect(status().isForbidden());
		mvc.perform(get("/dashboard")).andExpect(status().isFound()).andExpect(redirectedUrlPattern("**/login"));
		mvc.perform(post("/dashboard/reviews").param("note", "x").with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrlPattern("**/login"));
	}

	@Test
	void managersAddReviewNotesWhichArePostedWithCsrfAndEscaped() throws Exception {
		MockHttpSession session = login(MANAGER);
		String note = "コール数が目標の10% <script>alert('x')</script>";
		mvc.perform(post("/dashboard/reviews").param("from", "2026-12-01").param("to", "2026-12-31").param("rep", rep)
			.param("note", note).param("recoveryPlan", "午前中にコール枠を確保").session(session))
			.andExpect(status().isForbidden());
		MvcResult saved = mvc.perform(post("/dashboard/reviews").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("rep", rep).param("note", note).param("recoveryPlan", "午前中にコール枠を確保").session(session).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/dashboard?from=2026-12-01&to=2026-12-31&rep=" + rep))
			.andReturn();

		MvcResult shown = mvc.perform(get(saved.getResponse().getRedirectedUrl()).session(session)
			.flashAttrs(saved.getFlashMap())).andExpect(status().isOk()).andReturn();
		String page = body(shown);
		assertThat(page).contains("id=\"review-saved\"", "コール数が目標の10% &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
				"午前中にコール枠を確保");
		assertThat(page).doesNotContain("<script>alert(");
		// The rep sees the note about itself.
		assertThat(body(mvc.perform(get("/dashboard").param("from", "2026-12-10").param("to", "2026-12-10")
			.session(login(rep))).andExpect(status().isOk()).andReturn())).contains("午前中にコール枠を確保");
	}

	@Test
	void anInvalidReviewIsShownWithItsErrorsAndKeepsWhatWasTyped() throws Exception {
		MockHttpSession session = login(MANAGER);
		String page = body(mvc.perform(post("/dashboard/reviews").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("rep", rep).param("note", "  ").param("recoveryPlan", "架電リストを見直す <b>").session(session)
			.with(csrf())).andExpect(status().isBadRequest()).andReturn());
		assertThat(element(page, "note-error")).contains("Enter the review note.");
		assertThat(page).contains("架電リストを見直す &lt;b&gt;</textarea>");
		assertThat(page).contains("name=\"rep\" value=\"" + rep + "\"");

		String tooLong = "あ".repeat(4001);
		String page2 = body(mvc.perform(post("/dashboard/reviews").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("note", tooLong).header(HttpHeaders.ACCEPT_LANGUAGE, "ja").session(session).with(csrf()))
			.andExpect(status().isBadRequest()).andReturn());
		assertThat(element(page2, "note-error")).contains("4000文字以内で入力してください。");
		assertThat(page2).contains(tooLong + "</textarea>");

		String unknownRep = body(mvc.perform(post("/dashboard/reviews").param("from", "2026-12-01").param("to", "2026-12-31")
			.param("rep", "nosuchrep").param("note", "メモ").session(session).with(csrf()))
			.andExpect(status().isBadRequest()).andReturn());
		assertThat(unknownRep).contains("The review note could not be saved for this rep and period.", ">メモ</textarea>");
	}

	// ---------------------------------------------------------------- helpers

	/**
	 * 10 calls by the fresh rep on Wednesday: 6 unanswered, 2 contacts with 3 and 2 hearing items,
	 * 1 not interested, 1 meeting set (3 hearing items) that sales turns into an opportunity.
	 */
	private void knownDayOfWork() throws Exception {
		String[] actions = new String[10];
		for (int i = 0; i < actions.length; i++) {
			actions[i] = actionId(createLead("NURTURE", rep));
		}
		for (int i = 0; i < 6; i++) {
			complete(actions[i], rep, "NO_ANSWER");
		}
		complete(actions[6], rep, Map.of("outcome", "CONTACTED", "hearing",
				Map.of("budget", "500万円", "timeline", "来期", "need", "SFA")));
		complete(actions[7], rep, Map.of("outcome", "CONTACTED", "hearing",
				Map.of("budget", "未定", "authority", "部長", "need", "")));
		complete(actions[8], rep, "NOT_INTERESTED");
		JsonNode handedOff = complete(actions[9], rep, meetingSet(tokyo(2026, 12, 4, 11, 0)));
		complete(actionId(handedOff), SALES, "OPPORTUNITY");
	}

	private MockHttpSession login(String user) throws Exception {
		MvcResult result = mvc.perform(formLogin("/login").user(user).password(password(user))).andReturn();
		assertThat(result.getResponse().getStatus()).as("form login of %s", user).isEqualTo(302);
		assertThat(result.getResponse().getRedirectedUrl()).as("form login of %s", user).doesNotContain("error");
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	private String page(MockHttpServletRequestBuilder request, String user, Locale locale) throws Exception {
		return body(mvc.perform(request.session(login(user)).header(HttpHeaders.ACCEPT_LANGUAGE, locale.toLanguageTag()))
			.andExpect(status().isOk())
			.andReturn());
	}

	private static String body(MvcResult result) throws Exception {
		return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
	}

	/** The element with this id, from its start tag to the matching end tag of the same name. */
	private static String element(String html, String id) {
		Matcher start = Pattern.compile("<(\\w+)[^>]*\\sid=\"" + Pattern.quote(id) + "\"").matcher(html);
		assertThat(start.find()).as("element #%s on the page", id).isTrue();
		String tag = start.group(1);
		Matcher tags = Pattern.compile("<(/?)" + tag + "[\\s>]").matcher(html);
		int depth = 0;
		tags.region(start.start(), html.length());
		while (tags.find()) {
			depth += tags.group(1).isEmpty() ? 1 : -1;
			if (depth == 0) {
				return html.substring(start.start(), tags.end());
			}
		}
		return html.substring(start.start());
	}

	private static String rowOf(String html, String rep) {
		Matcher row = Pattern.compile("<tr data-rep=\"" + Pattern.quote(rep) + "\">(.*?)</tr>", Pattern.DOTALL)
			.matcher(element(html, "rep-table"));
		assertThat(row.find()).as("row of %s in the rep table", rep).isTrue();
		return row.group(1);
	}

	private static String count(String funnelStep) {
		Matcher count = Pattern.compile("class=\"funnel-count\">([^<]*)<").matcher(funnelStep);
		assertThat(count.find()).isTrue();
		return count.group(1);
	}

	private JsonNode charts(String html) throws Exception {
		Matcher data = Pattern.compile("<script type=\"application/json\" id=\"dashboard-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
		assertThat(data.find()).as("chart data in the page").isTrue();
		return json.readTree(data.group(1));
	}

	private static int indexOf(JsonNode periods, String day) {
		for (int i = 0; i < periods.size(); i++) {
			if (periods.get(i).asText().equals(day)) {
				return i;
			}
		}
		throw new AssertionError("no period " + day + " in " + periods);
	}

}
