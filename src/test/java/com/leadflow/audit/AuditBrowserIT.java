package com.leadflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.leadflow.actions.NextActionRepository;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.LeadRepository;
import com.leadflow.leads.Route;
import com.leadflow.process.LeadProcess;
import com.leadflow.scheduling.RepRepository;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.BrowserTest;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audit page in a real browser, English and Japanese: a lead whose process was deleted behind
 * Leadflow's back is listed with its reason and gets a new next action from the page; a rep's
 * work moves to another rep through the bulk reassignment form. Writes docs/screenshots/audit.png.
 */
class AuditBrowserIT extends BrowserTest {

	@Autowired
	LeadIntakeService intake;

	@Autowired
	LeadRepository leads;

	@Autowired
	NextActionRepository actions;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	@Autowired
	IdentityService identity;

	@Autowired
	RepRepository reps;

	private final List<String> freshReps = new ArrayList<>();

	@AfterEach
	void retireFreshReps() {
		// Inactive, a fresh rep never gets another test's leads by assignment.
		freshReps.forEach(rep -> reps.save(rep, false, null));
		freshReps.clear();
	}

	@Test
	void brokenLeadIsListedWithItsReasonAndRepairedFromThePage() {
		String rep = freshRep("監査", "Audit");
		String company = "株式会社監査テスト " + unique();
		String id = lead(rep, company);
		runtime.deleteProcessInstance(leadProcess(id), "cockpit");

		login("manager");
		driver.get(url("/audit?lang=en&owner=" + rep));
		WebElement row = finding(driver, id);
		assertThat(row.getAttribute("data-reason")).isEqualTo("PROCESS_ENDED");
		assertThat(row.getText()).contains(company).contains("Process ended");
		assertThat(driver.findElement(By.id("count-withoutNextAction")).getText()).contains("Without a next action");
		screenshot("audit");

		driver.get(url("/audit?lang=ja&owner=" + rep));
		row = finding(driver, id);
		assertThat(driver.findElement(By.tagName("h1")).getText()).contains("監査");
		assertThat(row.getText()).contains(company).contains("プロセス終了");

		// A Japanese browser gets Japanese without asking.
		WebDriver japanese = newBrowser("ja", Window.DESKTOP);
		login(japanese, "manager", "manager");
		japanese.get(url("/audit?owner=" + rep));
		assertThat(finding(japanese, id).getText()).contains("プロセス終了");

		// The fix: open the form, keep the suggested working time, set the next action.
		row.findElement(By.cssSelector("details.audit-fix summary")).click();
		WebElement form = row.findElement(By.cssSelector("form.audit-repair"));
		waitFor().until(b -> form.isDisplayed());
		WebElement flash = submit(driver, form.findElement(By.cssSelector("button[type=submit]")));
		assertThat(flash.getAttribute("data-flash")).isEqualTo("audit.flash.repaired");
		assertThat(flash.getText()).contains("新しい次アクション");
		assertThat(driver.findElements(By.id("finding-" + id))).isEmpty();
		assertThat(actions.findOpenByLead(id)).hasValueSatisfying(a -> assertThat(a.assignee()).isEqualTo(rep));
		assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).singleResult().getAssignee()).isEqualTo(rep);
		assertThat(consoleErrors(driver)).isEmpty();
	}

	@Test
	void bulkReassignmentThroughThePageInBothLanguages() {
		String from = freshRep("Leaving", "Rep");
		String to = freshRep("Taking", "Over");
		List<String> ids = List.of(lead(from, "株式会社付け替え " + unique()), lead(from, "Reassign Ltd " + unique()));

		login("manager");
		driver.get(url("/audit?lang=en"));
		WebElement flash = reassign(driver, from, to);
		assertThat(flash.getAttribute("data-flash")).isEqualTo("audit.flash.reassigned");
		assertThat(flash.getText()).contains("2 open actions of " + from + " went to " + to);
		for (String id : ids) {
			assertThat(leads.findById(id).orElseThrow().owner()).isEqualTo(to);
			assertThat(actions.findOpenByLead(id).orElseThrow().assignee()).isEqualTo(to);
			assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).singleResult().getAssignee()).isEqualTo(to);
		}

		// And back, in Japanese, spreading over the team: the "to" field does not apply then.
		driver.get(url("/audit?lang=ja"));
		driver.findElement(By.id("reassign-from")).sendKeys(to);
		driver.findElement(By.id("reassign-mode-spread")).click();
		assertThat(driver.findElement(By.id("reassign-to")).isEnabled()).isFalse();
		flash = submit(driver, driver.findElement(By.id("reassign-submit")));
		assertThat(flash.getAttribute("data-flash")).isEqualTo("audit.flash.spread");
		assertThat(flash.getText()).contains("チームに振り分けました");
		for (String id : ids) {
			String owner = leads.findById(id).orElseThrow().owner();
			assertThat(owner).isNotEqualTo(to);
			assertThat(actions.findOpenByLead(id).orElseThrow().assignee()).isEqualTo(owner);
		}

		// A refused request says why, in the page's language.
		driver.findElement(By.id("reassign-from")).sendKeys(from);
		flash = submit(driver, driver.findElement(By.id("reassign-submit")));
		assertThat(flash.getAttribute("data-flash")).isEqualTo("audit.error.to");
		assertThat(flash.getText()).contains("引き継ぐ有効な担当者");
		assertThat(consoleErrors(driver)).isEmpty();
	}

	// ---------------------------------------------------------------- helpers

	WebElement finding(WebDriver browser, String leadId) {
		return waitFor(browser).until(b -> b.findElement(By.id("finding-" + leadId)));
	}

	WebElement reassign(WebDriver browser, String from, String to) {
		browser.findElement(By.id("reassign-from")).sendKeys(from);
		browser.findElement(By.id("reassign-mode-to")).click();
		browser.findElement(By.id("reassign-to")).sendKeys(to);
		return submit(browser, browser.findElement(By.id("reassign-submit")));
	}

	/** Submits a form and returns the message of the page it leads to (never the one still shown). */
	WebElement submit(WebDriver browser, WebElement button) {
		JavascriptExecutor js = (JavascriptExecutor) browser;
		js.executeScript("document.documentElement.dataset.submitted = 'yes'");
		button.click();
		waitFor(browser).until(b -> js.executeScript(
				"return document.readyState === 'complete' && !document.documentElement.dataset.submitted"));
		return waitFor(browser).until(b -> b.findElement(By.id("audit-flash")));
	}

	String lead(String owner, String company) {
		String key = UUID.randomUUID().toString();
		return intake.submit(new LeadIntakeRequest("audit-" + key, Route.NURTURE, company, "山田 太郎",
				"lead-" + key + "@example.co.jp", "+81-3-1234-5678", "Asia/Tokyo", "EXHIBITION", owner, null, null),
				"marketing").leadId();
	}

	String leadProcess(String leadId) {
		return runtime.createProcessInstanceQuery()
			.processDefinitionKey(LeadProcess.KEY)
			.processInstanceBusinessKey(leadId)
			.singleResult()
			.getId();
	}

	/** A new rep (password = id; Camunda ids are letters and digits only). */
	String freshRep(String firstName, String lastName) {
		String id = "aud" + unique();
		User user = identity.newUser(id);
		user.setFirstName(firstName);
		user.setLastName(lastName);
		user.setEmail(id + "@leadflow.example");
		user.setPassword(id);
		identity.saveUser(user);
		identity.createMembership(id, Groups.REPS);
		freshReps.add(id);
		return id;
	}

	static String unique() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
	}

}
