package com.leadflow.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.actions.NextActionService;
import com.leadflow.common.Clock;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.Route;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.scheduling.RepRepository;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.BrowserTest;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Data for the page tests, made through the same services the application uses. The database is
 * shared with other test classes: every lead has a unique reference, email and company name.
 */
abstract class PagesBrowserTest extends BrowserTest {

	static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	@Autowired
	LeadIntakeService intake;

	@Autowired
	NextActionService actions;

	@Autowired
	NextActionRepository actionRows;

	@Autowired
	BusinessCalendar calendar;

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

	static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** A new lead handed in by marketing; returns its id. */
	String lead(String owner, Route route, String company, String contact) {
		return lead(owner, route, company, contact, "lead-" + UUID.randomUUID() + "@example.co.jp", "+81-3-1234-5678");
	}

	String lead(String owner, Route route, String company, String contact, String email, String phone) {
		return intake.submit(new LeadIntakeRequest("browser-" + UUID.randomUUID(), route, company, contact, email, phone,
				"Asia/Tokyo", "EXHIBITION", owner, null, null), "marketing").leadId();
	}

	NextAction openAction(String leadId) {
		return actionRows.findOpenByLead(leadId).orElseThrow();
	}

	void complete(String leadId, String user, CompletionRequest request) {
		actions.complete(openAction(leadId).id(), request, new CurrentUser(user, Set.of(Groups.REPS)));
	}

	/** A working time some working days ahead (Tokyo), whatever day and hour the test runs. */
	Instant workingDaysAhead(int days, int hour) {
		LocalDate today = Clock.now().atZone(TOKYO).toLocalDate();
		return calendar.addWorkingDays(today, days).atTime(LocalTime.of(hour, 0)).atZone(TOKYO).toInstant();
	}

	/** A time outside working hours some working days ahead. */
	Instant eveningDaysAhead(int days) {
		return workingDaysAhead(days, 12).atZone(TOKYO).withHour(21).toInstant();
	}

	static String input(Instant at) {
		return at.atZone(TOKYO).toLocalDateTime().toString().substring(0, 16);
	}

	static void clockAt(Instant at) {
		ClockUtil.setCurrentTime(Date.from(at));
	}

	/** A new user in the reps group (password = id) with a name, so other tests' data stays out of its inbox. */
	String freshRep(String firstName, String lastName) {
		String id = lastName.toLowerCase().replaceAll("[^a-z0-9]", "") + unique().replace("-", "");
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

	/** The inbox row of a lead (any section). */
	WebElement inboxRow(WebDriver browser, String leadId) {
		return waitFor(browser).until(b -> b.findElement(By.cssSelector("tr[data-lead-id='" + leadId + "']")));
	}

	/** Opens the outcome form of the lead's row and waits until htmx has put it in place. */
	WebElement openOutcomeForm(WebDriver browser, String leadId) {
		WebElement row = inboxRow(browser, leadId);
		row.findElement(By.cssSelector("[data-log-outcome]")).click();
		String actionId = row.getAttribute("data-action-id");
		return waitFor(browser).until(
				b -> b.findElement(By.cssSelector("#slot-" + actionId + " form[data-outcome-form]")));
	}

	/** Picks an outcome and waits for the suggestion it leads to. */
	void pickOutcome(WebDriver browser, WebElement form, String outcome) {
		form.findElement(By.cssSelector("input[name=outcome][value=" + outcome + "]")).click();
		waitFor(browser).until(b -> "true".equals(form.getAttribute("data-suggestion-ready")));
	}

}
