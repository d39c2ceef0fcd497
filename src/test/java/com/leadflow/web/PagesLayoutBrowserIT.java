package com.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.Outcome;
import com.leadflow.common.Clock;
import com.leadflow.leads.Route;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The pages in Japanese and English, on a desktop and on a phone; the README's screenshots. */
class PagesLayoutBrowserIT extends PagesBrowserTest {

	@Test
	void aJapaneseBrowserGetsJapaneseAndTheSwitcherKeepsTheChosenLanguage() {
		lead("rep1", Route.NURTURE, "株式会社言語 " + unique(), "中村 愛");
		WebDriver ja = newBrowser("ja", Window.DESKTOP);
		ja.get(url("/login"));
		assertThat(ja.findElement(By.tagName("h1")).getText()).isEqualTo("ログイン");
		assertThat(ja.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("ja");

		login(ja, "rep1", "rep1");
		assertThat(sectionTitles(ja)).containsExactly("期限切れ", "今日", "予定");
		assertThat(ja.findElement(By.cssSelector(".lf-nav")).getText()).contains("受信箱", "自分のKPI");
		assertThat(ja.findElement(By.cssSelector("[data-log-outcome]")).getText()).isEqualTo("結果を記録");
		assertThat(ja.findElement(By.cssSelector("[data-progress]")).getText()).contains("今日のコール数");

		ja.findElement(By.cssSelector("a[data-lang=en]")).click();
		waitFor(ja).until(b -> "en".equals(b.findElement(By.tagName("html")).getAttribute("lang")));
		assertThat(sectionTitles(ja)).containsExactly("Overdue", "Today", "Upcoming");
		// The choice is kept in a cookie, whatever the browser asks for.
		ja.get(url("/inbox"));
		assertThat(sectionTitles(ja)).containsExactly("Overdue", "Today", "Upcoming");
		ja.findElement(By.cssSelector("a[data-lang=ja]")).click();
		waitFor(ja).until(b -> "ja".equals(b.findElement(By.tagName("html")).getAttribute("lang")));
		assertThat(sectionTitles(ja)).containsExactly("期限切れ", "今日", "予定");

		driver.get(url("/login"));
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Log in");
	}

	@Test
	void theInboxIsATableOnADesktopAndCardsOnAPhone() {
		String leadId = lead("rep1", Route.UPSELL, "株式会社画面幅 " + unique(), "小林 翼");

		login("rep1");
		driver.get(url("/inbox"));
		WebElement row = inboxRow(driver, leadId);
		assertThat(viewportWidth(driver)).isEqualTo(1366);
		assertThat(driver.findElement(By.cssSelector("table.inbox-table thead")).isDisplayed()).isTrue();
		assertThat(row.getCssValue("display")).isEqualTo("table-row");
		assertNoSidewaysScrolling(driver);

		WebDriver phone = newBrowser("en", Window.PHONE);
		login(phone, "rep1", "rep1");
		phone.get(url("/inbox"));
		WebElement card = inboxRow(phone, leadId);
		assertThat(viewportWidth(phone)).isEqualTo(375);
		assertThat(phone.findElement(By.cssSelector("table.inbox-table thead")).isDisplayed()).isFalse();
		assertThat(card.getCssValue("display")).isEqualTo("block");
		WebElement button = card.findElement(By.cssSelector("[data-log-outcome]"));
		assertThat(button.isDisplayed()).isTrue();
		assertThat(button.getRect().getX() + button.getRect().getWidth()).isLessThanOrEqualTo(375);
		assertNoSidewaysScrolling(phone);

		WebElement form = openOutcomeForm(phone, leadId);
		pickOutcome(phone, form, "CONTACTED");
		assertNoSidewaysScrolling(phone);

		phone.get(url("/leads/" + leadId));
		waitFor(phone).until(b -> b.findElement(By.cssSelector("[data-bpmn]")).getAttribute("data-rendered") != null);
		assertNoSidewaysScrolling(phone);
	}

	/**
	 * The README's pictures: a rep's inbox and a lead page in Japanese at 1366×768, with a few days
	 * of work made through the services at past times.
	 */
	@Test
	void screenshotsOfTheInboxAndTheLeadPage() {
		String rep = freshRep("Misaki", "Tanaka");
		LocalDate today = Clock.now().atZone(TOKYO).toLocalDate();
		LocalDate threeDaysAgo = workingDaysBefore(today, 3);
		LocalDate twoDaysAgo = workingDaysBefore(today, 2);
		LocalDate yesterday = workingDaysBefore(today, 1);

		clockAt(at(threeDaysAgo, 9, 10));
		String sakura = lead(rep, Route.NURTURE, "株式会社さくら精機", "佐藤 健一", mail("k.sato", "sakura-seiki"), "03-5412-7781");
		String minato = lead(rep, Route.OUTBOUND, "みなと物流株式会社", "鈴木 美穂", mail("m.suzuki", "minato-logi"), "045-662-3190");
		String aoba = lead(rep, Route.NURTURE, "株式会社青葉システムズ", "高橋 大輔", mail("d.takahashi", "aoba-sys"), "022-215-4408");
		String hikari = lead(rep, Route.UPSELL, "ひかり電機株式会社", "伊藤 直子", mail("n.ito", "hikari-denki"), "06-6344-1207");
		String yamato = lead(rep, Route.NURTURE, "大和ソリューションズ株式会社", "渡辺 翔太", mail("s.watanabe", "yamato-sol"), "03-6205-8842");
		String tsubasa = lead(rep, Route.OUTBOUND, "株式会社つばさ商事", "山本 恵", mail("m.yamamoto", "tsubasa-shoji"), "052-971-5530");
		clockAt(at(threeDaysAgo, 10, 5));
		complete(sakura, rep, new CompletionRequest(Outcome.NO_ANSWER, null, null, null, null));
		clockAt(at(threeDaysAgo, 10, 20));
		complete(aoba, rep, new CompletionRequest(Outcome.CONTACTED,
				Map.of("budget", "年間300万円", "need", "問い合わせ対応の工数削減"), "導入事例を希望", null, null));
		clockAt(at(threeDaysAgo, 11, 0));
		complete(minato, rep, new CompletionRequest(Outcome.NO_ANSWER, null, null, null, null));

		clockAt(at(twoDaysAgo, 9, 30));
		String konan = lead(rep, Route.NURTURE, "港南テクノロジー株式会社", "中村 彩", mail("a.nakamura", "konan-tech"), "03-3474-9016");
		clockAt(at(twoDaysAgo, 13, 40));
		complete(hikari, rep, new CompletionRequest(Outcome.CALLBACK, null, "担当者が会議中、折り返し希望", null,
				new CompletionRequest.NextStep(ActionType.CALL, at(yesterday, 15, 0), null)));

		clockAt(at(yesterday, 10, 0));
		complete(sakura, rep, new CompletionRequest(Outcome.CONTACTED,
				Map.of("budget", "500万円程度", "authority", "情報システム部長", "timeline", "来期（4月）", "current-tool",
						"Excel と共有フォルダ"),
				"展示会のデモに関心。来週、部長同席で再度説明してほしいとのこと", null, null));
		clockAt(at(yesterday, 10, 30));
		complete(minato, rep, new CompletionRequest(Outcome.NO_ANSWER, null, null, null, null));
		clockAt(at(yesterday, 16, 0));
		complete(yamato, rep, new CompletionRequest(Outcome.MEETING_SET,
				Map.of("budget", "来期予算で検討", "need", "営業リストの一元管理", "timeline", "半年以内"), "オンラインでデモ",
				at(calendar.addWorkingDays(today, 2), 14, 0), null));
		ClockUtil.reset();

		// This morning: a call done now, and a callback later today when there is still time for one.
		Instant now = Clock.now();
		complete(konan, rep, new CompletionRequest(Outcome.NO_ANSWER, null, null, null, null));
		Instant laterToday = now.plus(Duration.ofHours(2)).atZone(TOKYO).withMinute(0).withSecond(0).toInstant();
		Instant callback = calendar.isWorkingTime(laterToday, TOKYO) ? laterToday : workingDaysAhead(1, 11);
		complete(tsubasa, rep, new CompletionRequest(Outcome.CALLBACK, null, "15時以降なら在席", null,
				new CompletionRequest.NextStep(ActionType.CALL, callback, null)));

		// Taller than the layout tests' 1366×768 window (whose page area is about 1366×625), so the
		// lead page shows its history too.
		WebDriver ja = newBrowser("ja", new Window(1366, 1050, false));
		login(ja, rep, rep);
		ja.get(url("/inbox"));
		inboxRow(ja, sakura);
		assertThat(ja.findElement(By.cssSelector("[data-user]")).getText()).isEqualTo("Misaki Tanaka");
		screenshot(ja, "inbox");

		ja.get(url("/leads/" + sakura));
		WebElement diagram = ja.findElement(By.cssSelector("[data-bpmn]"));
		waitFor(ja).until(b -> "true".equals(diagram.getAttribute("data-rendered")));
		assertThat(ja.findElement(By.cssSelector("[data-history]")).getText()).contains("予算: 500万円程度", "コンタクト");
		screenshot(ja, "lead");
		assertThat(consoleErrors(ja)).isEmpty();
	}

	/** An address at a made-up company domain; only this test uses these companies. */
	private static String mail(String person, String company) {
		return person + "@" + company + ".example.jp";
	}

	private LocalDate workingDaysBefore(LocalDate day, int days) {
		LocalDate d = day;
		for (int n = 0; n < days; n++) {
			d = d.minusDays(1);
			while (!calendar.isWorkingDay(d)) {
				d = d.minusDays(1);
			}
		}
		return d;
	}

	private static Instant at(LocalDate day, int hour, int minute) {
		return day.atTime(LocalTime.of(hour, minute)).atZone(TOKYO).toInstant();
	}

	private static List<String> sectionTitles(WebDriver browser) {
		return browser.findElements(By.cssSelector("[data-section] h2 > span:not(.count)"))
			.stream()
			.map(WebElement::getText)
			.toList();
	}

	private static long viewportWidth(WebDriver browser) {
		return (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
	}

	private static void assertNoSidewaysScrolling(WebDriver browser) {
		Long overflow = (Long) ((JavascriptExecutor) browser)
			.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
		assertThat(overflow).as("page wider than the window").isLessThanOrEqualTo(0L);
	}

}
