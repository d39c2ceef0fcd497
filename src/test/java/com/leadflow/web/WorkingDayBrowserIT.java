package com.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.LeadQueries;
import com.leadflow.leads.LeadStatus;
import com.leadflow.leads.LeadView.HistoryEntry;
import com.leadflow.leads.Route;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** A rep's and a salesperson's working day in the browser: inbox, outcome form, suggestion, hand-off. */
class WorkingDayBrowserIT extends PagesBrowserTest {

	@Autowired
	LeadQueries leads;

	@Test
	void repLogsAContactedCallWithHearingItemsAndACallbackAndSeesTheNextAction() {
		String company = "株式会社ブラウザ試験 " + unique();
		String leadId = lead("rep1", Route.NURTURE, company, "山田 太郎");
		String firstAction = openAction(leadId).id();
		Instant callback = workingDaysAhead(2, 11);

		login("rep1");
		driver.get(url("/inbox"));
		WebElement form = openOutcomeForm(driver, leadId);
		pickOutcome(driver, form, "CONTACTED");
		// Nurture, contacted, few hearing items: the cadence sends a case study.
		assertThat(selected(form, "nextType")).isEqualTo("CONTENT");

		type(form, "hearing[budget]", "500万円");
		type(form, "hearing[authority]", "情報システム部長");
		type(form, "hearing[timeline]", "来期");
		form.findElement(By.name("note")).click();
		waitFor().until(b -> "true".equals(form.getAttribute("data-suggestion-ready")));
		// Three hearing items make a well-known lead: the cadence calls again instead.
		waitFor().until(b -> "CALL".equals(selected(form, "nextType")));

		setDateTime(form.findElement(By.name("nextDue")), input(callback));
		form.findElement(By.name("note")).sendKeys("3月のセミナーに興味あり");
		form.findElement(By.cssSelector("[data-save]")).click();

		waitFor().until(b -> b.getCurrentUrl().endsWith("/inbox") && !b.findElements(By.cssSelector("[data-flash]")).isEmpty());
		String flash = driver.findElement(By.cssSelector("[data-flash]")).getText();
		assertThat(flash).contains("Saved.", company, "Contacted", "Next action:", "Call",
				callback.atZone(TOKYO).toLocalTime().toString());
		WebElement row = inboxRow(driver, leadId);
		assertThat(row.getAttribute("class")).contains("just-saved");
		assertThat(row.getAttribute("data-action-id")).isNotEqualTo(firstAction);
		assertThat(row.findElement(By.cssSelector("[data-due]")).getText()).contains("11:00");
		assertThat(row.getText()).contains("Contacted");

		NextAction next = openAction(leadId);
		assertThat(next.type()).isEqualTo(ActionType.CALL);
		assertThat(next.dueAt()).isEqualTo(callback);
		assertThat(next.generated()).as("the rep's callback time is an override").isFalse();
		HistoryEntry done = lastCompletion(leadId);
		assertThat(done.outcome()).isEqualTo("CONTACTED");
		assertThat(done.by()).isEqualTo("rep1");
		assertThat(done.note()).isEqualTo("3月のセミナーに興味あり");
		assertThat(done.hearing()).containsExactlyInAnyOrderEntriesOf(
				Map.of("budget", "500万円", "authority", "情報システム部長", "timeline", "来期"));
		assertThat(consoleErrors(driver)).isEmpty();
	}

	@Test
	void aCallbackTheCalendarRefusesComesBackWithEverythingTheRepTyped() {
		String company = "株式会社入力保持 " + unique();
		String leadId = lead("rep1", Route.NURTURE, company, "佐藤 花子");
		String actionId = openAction(leadId).id();
		int historyBefore = history(leadId).size();

		login("rep1");
		driver.get(url("/inbox"));
		WebElement form = openOutcomeForm(driver, leadId);
		pickOutcome(driver, form, "CALLBACK");
		type(form, "hearing[need]", "勤怠管理の刷新");
		form.findElement(By.name("note")).sendKeys("夜に折り返し希望");
		// Leaving a hearing field asks for the suggestion again: wait until it is back in place.
		waitFor().until(b -> "true".equals(form.getAttribute("data-suggestion-ready")));
		String evening = input(eveningDaysAhead(1));
		setDateTime(form.findElement(By.name("nextDue")), evening);
		form.findElement(By.cssSelector("[data-save]")).click();

		WebElement error = waitFor().until(b -> b.findElement(By.cssSelector("[data-error=next]")));
		assertThat(error.getText()).contains("Check the next action", "outside the business calendar");
		WebElement again = driver.findElement(By.cssSelector("form[data-outcome-form]"));
		assertThat(again.findElement(By.cssSelector("input[name=outcome][value=CALLBACK]")).isSelected()).isTrue();
		assertThat(again.findElement(By.name("hearing[need]")).getAttribute("value")).isEqualTo("勤怠管理の刷新");
		assertThat(again.findElement(By.name("note")).getAttribute("value")).isEqualTo("夜に折り返し希望");
		assertThat(again.findElement(By.name("nextDue")).getAttribute("value")).isEqualTo(evening);
		// Nothing happened to the lead.
		assertThat(openAction(leadId).id()).isEqualTo(actionId);
		assertThat(history(leadId)).hasSize(historyBefore);

		Instant afternoon = workingDaysAhead(1, 15);
		setDateTime(again.findElement(By.name("nextDue")), input(afternoon));
		again.findElement(By.cssSelector("[data-save]")).click();
		waitFor().until(b -> b.getCurrentUrl().endsWith("/inbox") && !b.findElements(By.cssSelector("[data-flash]")).isEmpty());

		NextAction next = openAction(leadId);
		assertThat(next.id()).isNotEqualTo(actionId);
		assertThat(next.type()).isEqualTo(ActionType.CALL);
		assertThat(next.dueAt()).isEqualTo(afternoon);
		assertThat(lastCompletion(leadId).hearing()).containsEntry("need", "勤怠管理の刷新");
		assertThat(lastCompletion(leadId).note()).isEqualTo("夜に折り返し希望");
	}

	@Test
	void salesSeeTheHandOffWithTheRepsHearingItemsAndRecordAnOpportunity() {
		String company = "株式会社商談設定 " + unique();
		String leadId = lead("rep1", Route.NURTURE, company, "鈴木 一郎");
		complete(leadId, "rep1", new CompletionRequest(Outcome.MEETING_SET,
				Map.of("budget", "年間300万円", "authority", "情報システム部長"), "デモを希望", workingDaysAhead(2, 14), null));

		login("sales1");
		assertThat(driver.getCurrentUrl()).endsWith("/inbox");
		WebElement row = inboxRow(driver, leadId);
		WebElement handoff = row.findElement(By.cssSelector("[data-handoff]"));
		assertThat(handoff.getText()).contains("Budget", "年間300万円", "Decision maker", "情報システム部長", "デモを希望",
				"Rei Ichikawa");

		WebElement form = openOutcomeForm(driver, leadId);
		List<String> outcomes = form.findElements(By.name("outcome")).stream().map(o -> o.getAttribute("value")).toList();
		assertThat(outcomes).containsExactly("OPPORTUNITY", "NO_OPPORTUNITY");
		pickOutcome(driver, form, "OPPORTUNITY");
		assertThat(form.findElement(By.cssSelector("[data-suggestion]")).getText()).contains("becomes an opportunity");
		form.findElement(By.name("note")).sendKeys("見積もり依頼あり");
		form.findElement(By.cssSelector("[data-save]")).click();

		waitFor().until(b -> !b.findElements(By.cssSelector("[data-flash]")).isEmpty());
		assertThat(driver.findElement(By.cssSelector("[data-flash]")).getText()).contains("Opportunity",
				"The lead is an opportunity now");
		assertThat(leads.lead(leadId).status()).isEqualTo(LeadStatus.OPPORTUNITY);
		assertThat(lastCompletion(leadId).by()).isEqualTo("sales1");

		driver.get(url("/leads/" + leadId));
		assertThat(driver.findElement(By.cssSelector("[data-status]")).getText()).isEqualTo("Opportunity");
		assertThat(driver.findElement(By.cssSelector("[data-history]")).getText()).contains("Meeting held", "見積もり依頼あり");
	}

	@Test
	void markupInACompanyNameIsShownAsTextAndNeverRuns() {
		String company = "<script>alert(1)</script>";
		String contact = "<img src=x onerror=alert(2)> " + unique();
		String leadId = lead("rep1", Route.NURTURE, company, contact);

		login("rep1");
		driver.get(url("/inbox"));
		WebElement row = inboxRow(driver, leadId);
		assertThat(row.findElement(By.cssSelector("[data-company]")).getText()).isEqualTo(company);
		assertThat(row.getText()).contains(contact);
		assertNothingInjected(driver);

		openOutcomeForm(driver, leadId);
		assertNothingInjected(driver);

		driver.get(url("/leads/" + leadId));
		assertThat(driver.findElement(By.cssSelector("h1[data-company]")).getText()).isEqualTo(company);
		assertThat(driver.getTitle()).isEqualTo(company + " · Leadflow");
		assertNothingInjected(driver);
	}

	@Test
	void theLeadPageShowsContactsHistoryAndTheProcessWithTheCurrentActivityMarked() {
		String company = "株式会社リード詳細 " + unique();
		String leadId = lead("rep1", Route.NURTURE, company, "高橋 健");
		complete(leadId, "rep1", new CompletionRequest(Outcome.NO_ANSWER, null, "留守電", null, null));

		login("rep1");
		driver.get(url("/leads/" + leadId));
		assertThat(driver.findElement(By.cssSelector("a[data-phone]")).getAttribute("href")).isEqualTo("tel:+81-3-1234-5678");
		assertThat(driver.findElement(By.cssSelector("a[data-email]")).getAttribute("href")).startsWith("mailto:lead-");
		assertThat(driver.findElement(By.cssSelector("[data-route]")).getText()).isEqualTo("Nurture");
		assertThat(driver.findElement(By.cssSelector("[data-next-action]")).getText()).contains("Call", "Rei Ichikawa");
		String history = driver.findElement(By.cssSelector("[data-history]")).getText();
		assertThat(history).contains("Lead received", "Action done", "No answer", "留守電");

		WebElement diagram = driver.findElement(By.cssSelector("[data-bpmn]"));
		waitFor().until(b -> "true".equals(diagram.getAttribute("data-rendered")));
		assertThat(driver.findElements(By.cssSelector(".djs-element.lf-active[data-element-id=UserTask_WorkNextAction]")))
			.hasSize(1);
		assertThat(driver.findElements(By.cssSelector(".djs-element.lf-active"))).hasSize(1);
		assertThat(consoleErrors(driver)).isEmpty();

		// The outcome form opens on the lead page too.
		driver.findElement(By.cssSelector("[data-next-action] [data-log-outcome]")).click();
		WebElement form = waitFor().until(b -> b.findElement(By.cssSelector("#slot-lead form[data-outcome-form]")));
		pickOutcome(driver, form, "NO_ANSWER");
		assertThat(selected(form, "nextType")).isEqualTo("CALL");
	}

	@Test
	void aRepCannotOpenAnotherRepsLead() {
		String leadId = lead("rep1", Route.OUTBOUND, "株式会社他人 " + unique(), "伊藤 誠");
		login("rep2");
		driver.get(url("/leads/" + leadId));
		assertThat(driver.findElement(By.tagName("h1")).getText()).contains("403", "Not allowed");
		assertThat(driver.getPageSource()).doesNotContain("株式会社他人");
		driver.get(url("/actions/" + openAction(leadId).id() + "/form"));
		assertThat(driver.findElement(By.tagName("h1")).getText()).contains("403");
	}

	@Test
	void theStartPageDependsOnTheRole() {
		login("rep1");
		assertThat(driver.getCurrentUrl()).endsWith("/inbox");
		WebDriver marketing = newBrowser("en", Window.DESKTOP);
		login(marketing, "marketing", "marketing");
		assertThat(marketing.getCurrentUrl()).endsWith("/intake");
		assertThat(navLinks(marketing)).containsExactly("Intake");
		WebDriver manager = newBrowser("en", Window.DESKTOP);
		login(manager, "manager", "manager");
		assertThat(manager.getCurrentUrl()).endsWith("/dashboard");
		assertThat(navLinks(manager)).containsExactly("Inbox", "Dashboard", "Audit", "Intake");
		assertThat(navLinks(driver)).containsExactly("Inbox", "My KPIs");
		WebDriver admin = newBrowser("en", Window.DESKTOP);
		login(admin, "admin", "admin");
		assertThat(navLinks(admin)).contains("Cockpit", "Tasklist");
		marketing.get(url("/inbox"));
		assertThat(marketing.findElement(By.tagName("h1")).getText()).contains("403");
	}

	@Test
	void loggingOutEndsTheSession() {
		login("rep1");
		driver.findElement(By.cssSelector(".lf-user form button")).click();
		waitFor().until(b -> b.getCurrentUrl().contains("/login?logout"));
		driver.get(url("/inbox"));
		assertThat(driver.getCurrentUrl()).endsWith("/login");
	}

	private List<String> navLinks(WebDriver browser) {
		return browser.findElements(By.cssSelector(".lf-nav a")).stream().map(WebElement::getText).toList();
	}

	private void assertNothingInjected(WebDriver browser) {
		assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
		assertThat(browser.findElements(By.xpath("//script[contains(., 'alert(')]"))).isEmpty();
		assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
		assertThat(browser.getPageSource()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
	}

	private List<HistoryEntry> history(String leadId) {
		return leads.view(leadId, false, true).history();
	}

	private HistoryEntry lastCompletion(String leadId) {
		return history(leadId).stream()
			.filter(e -> e.type().equals("ACTION_COMPLETED") || e.type().equals("MEETING_HELD"))
			.reduce((a, b) -> b)
			.orElseThrow();
	}

	private static String selected(WebElement form, String name) {
		return new Select(form.findElement(By.name(name))).getFirstSelectedOption().getAttribute("value");
	}

	private static void type(WebElement form, String name, String text) {
		WebElement field = form.findElement(By.name(name));
		field.clear();
		field.sendKeys(text);
	}

	/** Browsers type into datetime-local fields by locale; the value is set as a script would, with its change event. */
	private void setDateTime(WebElement field, String value) {
		((JavascriptExecutor) driver).executeScript(
				"arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", field,
				value);
	}

}
