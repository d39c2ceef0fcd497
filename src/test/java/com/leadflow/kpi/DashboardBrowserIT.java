package com.leadflow.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.scheduling.RepRepository;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.BrowserTest;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard in Chromium: a fresh rep's known week and a half of calls, made through the API,
 * drawn by Chart.js from the data the server rendered into the page, in English and Japanese, on
 * a laptop and a phone; the review form posted from the browser.
 */
class DashboardBrowserIT extends BrowserTest {

	static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	/** Working days of December 2026 with calls: {day, calls, contacts (meetings included), meetings set}. */
	static final int[][] PLAN = { { 1, 12, 2, 0 }, { 2, 9, 2, 1 }, { 3, 14, 3, 0 }, { 4, 10, 1, 0 }, { 7, 8, 2, 1 },
			{ 8, 11, 2, 0 } };

	/** Contact rate of each day Dec 1–8 in percent (none at the weekend). */
	static final Double[] CONTACT_RATE = { 16.7, 22.2, 21.4, 10.0, null, null, 25.0, 18.2 };

	@Autowired
	IdentityService identity;

	@Autowired
	ObjectMapper json;

	@Autowired
	KpiService kpis;

	@Autowired
	RepRepository reps;

	final HttpClient http = HttpClient.newHttpClient();

	String rep;

	/** Wednesday's meeting, which sales holds on Friday. */
	String heldMeeting;

	@BeforeEach
	void aFreshRepsKnownDays() throws Exception {
		rep = "dash" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		User user = identity.newUser(rep);
		user.setFirstName("Dash");
		user.setLastName("Board");
		user.setPassword(rep);
		identity.saveUser(user);
		identity.createMembership(rep, Groups.REPS);
		for (int[] day : PLAN) {
			clock(day[0], 10, 0);
			int calls = day[1];
			int contacts = day[2];
			int meetings = day[3];
			for (int i = 0; i < calls; i++) {
				String action = createLead().path("nextAction").path("id").asText();
				if (i < meetings) {
					LocalDate meetingDay = LocalDate.of(2026, 12, day[0]).plusDays(2);
					JsonNode lead = complete(action, rep, Map.of("outcome", "MEETING_SET", "meetingAt",
							meetingDay.atTime(11, 0).atZone(TOKYO).toInstant().toString(), "hearing",
							Map.of("budget", "500万円", "timeline", "来期", "decisionMaker", "部長")));
					if (day[0] == 2) {
						heldMeeting = lead.path("nextAction").path("id").asText();
					}
				}
				else if (i < contacts) {
					complete(action, rep, Map.of("outcome", "CONTACTED", "hearing",
							Map.of("budget", "未定", "need", "名刺管理")));
				}
				else {
					complete(action, rep, Map.of("outcome", "NO_ANSWER"));
				}
			}
			if (day[0] == 4) {
				// Sales holds Wednesday's meeting on Friday: an opportunity, credited to the rep.
				clock(4, 14, 0);
				complete(heldMeeting, "sales1", Map.of("outcome", "OPPORTUNITY"));
			}
		}
		clock(8, 16, 0);
	}

	@AfterEach
	void resetClockAndRetireTheRep() {
		ClockUtil.reset();
		// Inactive, the rep takes no leads of other tests and leaves the team's targets alone.
		if (rep != null) {
			reps.save(rep, false, null);
		}
	}

	@Test
	void drawsTheRepsTrendsAndFiguresInEnglishAndJapanese() {
		login("manager");
		open(driver, "/dashboard?from=2026-12-01&to=2026-12-31&rep=" + rep + "&lang=en");

		assertThat(text(driver, "#dashboard-summary")).contains(rep);
		assertThat(texts(driver, ".kpi-card h3")).containsExactly("Calls", "Contact rate", "Meetings obtained",
				"Hearing items", "Touch frequency", "Opportunity rate");
		assertThat(text(driver, "#kpi-calls .kpi-actual")).isEqualTo("64");
		// 6 working days elapsed (Dec 1–4, 7, 8) at the quarter's calls per day: 64 calls are behind.
		long perDay = kpis.targets("2026-Q4", rep).callsPerDay();
		assertThat(text(driver, "#kpi-calls .kpi-target")).contains(String.valueOf(6 * perDay));
		assertThat(text(driver, "#kpi-calls .kpi-status")).isEqualTo("Behind");
		assertThat(text(driver, "#kpi-contactRate .kpi-actual")).isEqualTo("18.8%");
		assertThat(text(driver, "#kpi-contactRate .kpi-status")).isEqualTo("On track");
		assertThat(text(driver, "#kpi-meetings .kpi-actual")).isEqualTo("2");
		assertThat(text(driver, "#kpi-hearing .kpi-detail")).isEqualTo("2.17 per contact");
		assertThat(text(driver, "#kpi-opportunityRate .kpi-actual")).isEqualTo("100.0%");
		assertThat(texts(driver, ".funnel-count")).containsExactly("64", "12", "2", "1", "1");

		List<List<Object>> daily = datasets(driver, "chart-daily");
		assertThat(datasetLabels(driver, "chart-daily")).containsExactly("Calls", "Calls target (pro-rated)",
				"Contact rate (%)");
		assertThat(daily.get(0)).hasSize(31);
		assertThat(numbers(daily.get(0).subList(0, 8))).containsExactly(12.0, 9.0, 14.0, 10.0, 0.0, 0.0, 8.0, 11.0);
		assertThat(daily.get(0).subList(8, 31)).as("no actuals after today").containsOnlyNulls();
		Double target = (double) perDay;
		assertThat(numbers(daily.get(1).subList(0, 8))).as("target line, broken at the weekend")
			.containsExactly(target, target, target, target, null, null, target, target);
		assertThat(numbers(daily.get(2).subList(0, 8))).containsExactly(CONTACT_RATE);
		List<List<Object>> weekly = datasets(driver, "chart-weekly");
		assertThat(labels(driver, "chart-weekly")).startsWith("11-30", "12-07", "12-14");
		assertThat(numbers(weekly.get(0).subList(0, 2))).containsExactly(45.0, 19.0);
		assertThat(numbers(weekly.get(1).subList(0, 2))).containsExactly(4.0 * perDay, 5.0 * perDay);
		assertThat(numbers(weekly.get(2).subList(0, 2))).containsExactly(17.8, 21.1);

		open(driver, "/dashboard?from=2026-12-01&to=2026-12-31&rep=" + rep + "&lang=ja");
		assertThat(texts(driver, ".kpi-card h3")).containsExactly("コール数", "コンタクト率", "商談獲得数", "ヒアリング数",
				"接触頻度", "案件化率");
		assertThat(text(driver, "#kpi-calls .kpi-status")).isEqualTo("遅れ");
		assertThat(text(driver, "#kpi-contactRate .kpi-status")).isEqualTo("順調");
		assertThat(texts(driver, ".funnel-label")).containsExactly("コール", "コンタクト", "商談獲得", "商談実施", "案件化");
		assertThat(datasetLabels(driver, "chart-daily")).containsExactly("コール数", "コール目標（按分）", "コンタクト率（%）");
		assertThat(numbers(datasets(driver, "chart-daily").get(0).subList(0, 8))).containsExactly(12.0, 9.0, 14.0, 10.0,
				0.0, 0.0, 8.0, 11.0);
		assertThat(consoleErrors(driver)).as("script errors, CSP violations").isEmpty();
	}

	@Test
	void fitsAPhoneAndALaptopScreen() {
		WebDriver phone = newBrowser("ja", Window.PHONE);
		login(phone, "manager", "manager");
		open(phone, "/dashboard?from=2026-12-01&to=2026-12-31&rep=" + rep);
		assertThat(js(phone, "return window.innerWidth")).isEqualTo(375L);
		assertThat(text(phone, ".kpi-card h3")).as("Accept-Language: ja").isEqualTo("コール数");
		assertThat((Long) js(phone, "return document.documentElement.scrollWidth")).as("no sideways scrolling at 375 px")
			.isLessThanOrEqualTo(375L);
		assertThat((Long) js(phone, "return document.getElementById('chart-daily').clientWidth")).isBetween(200L, 375L);
		assertThat(numbers(datasets(phone, "chart-daily").get(0).subList(0, 4))).containsExactly(12.0, 9.0, 14.0, 10.0);
		assertThat(consoleErrors(phone)).isEmpty();

		login("manager");
		open(driver, "/dashboard?from=2026-12-01&to=2026-12-31&lang=en");
		assertThat(js(driver, "return window.innerWidth")).isEqualTo(1366L);
		assertThat((Long) js(driver, "return document.documentElement.scrollWidth")).isLessThanOrEqualTo(1366L);
		assertThat(driver.findElements(By.cssSelector("#rep-table tr[data-rep='" + rep + "']"))).hasSize(1);
		// The whole page, not only the first screen, for the README.
		long height = (Long) js(driver, "return document.documentElement.scrollHeight");
		driver.manage().window().setSize(new Dimension(1366, (int) Math.min(height + 140, 4000)));
		waitForCharts(driver);
		screenshot("dashboard");
	}

	@Test
	void aManagerRecordsAReviewNoteFromThePage() {
		login("manager");
		open(driver, "/dashboard?from=2026-12-01&to=2026-12-31&rep=" + rep + "&lang=en");
		driver.findElement(By.id("recoveryPlan")).sendKeys("午前中にコール枠を確保 <b>");
		driver.findElement(By.cssSelector("#review-form button[type=submit]")).click();
		waitFor().until(d -> !d.findElements(By.id("note-error")).isEmpty());
		assertThat(text(driver, "#note-error")).isEqualTo("Enter the review note.");
		assertThat(driver.findElement(By.id("recoveryPlan")).getDomProperty("value")).isEqualTo("午前中にコール枠を確保 <b>");
		// The form with its errors comes back as 400 Bad Request, which the console reports; nothing else.
		assertThat(consoleErrors(driver)).singleElement().asString().contains("/dashboard/reviews", "400");

		driver.findElement(By.id("note")).sendKeys("コール数が目標の21% <script>alert(1)</script>");
		driver.findElement(By.cssSelector("#review-form button[type=submit]")).click();
		waitFor().until(d -> !d.findElements(By.id("review-saved")).isEmpty());
		assertThat(driver.getCurrentUrl()).contains("rep=" + rep);
		assertThat(text(driver, ".review-note")).isEqualTo("コール数が目標の21% <script>alert(1)</script>");
		assertThat(text(driver, ".review-plan")).contains("午前中にコール枠を確保 <b>");
		assertThat(kpis.reviews(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31), rep))
			.anySatisfy(r -> assertThat(r.createdBy()).isEqualTo("manager"));
		assertThat(consoleErrors(driver)).isEmpty();
	}

	// ---------------------------------------------------------------- browser

	private void open(WebDriver browser, String path) {
		browser.get(url(path));
		waitForCharts(browser);
	}

	private void waitForCharts(WebDriver browser) {
		waitFor(browser).until(b -> Boolean.TRUE.equals(js(b, "return !!(window.Chart"
				+ " && Chart.getChart(document.getElementById('chart-daily'))"
				+ " && Chart.getChart(document.getElementById('chart-weekly')))")));
	}

	private static Object js(WebDriver browser, String script) {
		return ((JavascriptExecutor) browser).executeScript(script);
	}

	@SuppressWarnings("unchecked")
	private static List<List<Object>> datasets(WebDriver browser, String canvas) {
		return (List<List<Object>>) js(browser, "return Chart.getChart(document.getElementById('" + canvas
				+ "')).data.datasets.map(d => d.data)");
	}

	@SuppressWarnings("unchecked")
	private static List<String> datasetLabels(WebDriver browser, String canvas) {
		return (List<String>) js(browser, "return Chart.getChart(document.getElementById('" + canvas
				+ "')).data.datasets.map(d => d.label)");
	}

	@SuppressWarnings("unchecked")
	private static List<String> labels(WebDriver browser, String canvas) {
		return (List<String>) js(browser, "return Chart.getChart(document.getElementById('" + canvas + "')).data.labels");
	}

	private static List<Double> numbers(List<Object> values) {
		return values.stream().map(v -> v == null ? null : ((Number) v).doubleValue()).toList();
	}

	private static String text(WebDriver browser, String css) {
		return browser.findElement(By.cssSelector(css)).getText().strip();
	}

	private static List<String> texts(WebDriver browser, String css) {
		return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).map(String::strip).toList();
	}

	// ---------------------------------------------------------------- data through the API

	private static void clock(int december, int hour, int minute) {
		ClockUtil.setCurrentTime(Date.from(LocalDateTime.of(2026, 12, december, hour, minute).atZone(TOKYO).toInstant()));
	}

	private JsonNode createLead() throws Exception {
		String key = UUID.randomUUID().toString();
		Map<String, Object> lead = new LinkedHashMap<>();
		lead.put("externalId", "dash-" + key);
		lead.put("route", "NURTURE");
		lead.put("company", "株式会社ダッシュ " + key.substring(0, 6));
		lead.put("email", "dash-" + key + "@example.co.jp");
		lead.put("phone", "03-1234-5678");
		lead.put("owner", rep);
		return post("/api/leads", "marketing", lead, 201);
	}

	private JsonNode complete(String actionId, String user, Map<String, Object> body) throws Exception {
		return post("/api/next-actions/" + actionId + "/complete", user, body, 200).path("lead");
	}

	private JsonNode post(String path, String user, Object body, int expected) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(expected);
		return json.readTree(response.body());
	}

}
