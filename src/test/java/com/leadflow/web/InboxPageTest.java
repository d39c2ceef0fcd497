package com.leadflow.web;

import static com.leadflow.web.PagesTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.common.Sql;
import com.leadflow.security.Groups;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.web.util.HtmlUtils;

/** The inbox page's sections: every row reachable, page by page, without a browser. */
@LeadflowTest
class InboxPageTest extends LeadflowApiSupport {

	/** Rows written straight into the tables (hundreds of intakes would take long), removed after each test. */
	private final List<String> leadIds = new ArrayList<>();

	@AfterEach
	void removeTheRows() {
		leadIds.forEach(id -> {
			jdbc.sql("DELETE FROM lf_next_action WHERE lead_id = ?").param(id).update();
			jdbc.sql("DELETE FROM lf_lead WHERE id = ?").param(id).update();
		});
	}

	@Test
	void aManagerPagesThroughEverySectionOfARepsInboxAndTheLinksKeepTheAssignee() throws Exception {
		Instant now = clockAt(tokyo(2031, 3, 12, 9, 0));
		String rep = freshRep("paging");
		Set<String> overdue = actions(rep, now.minus(Duration.ofDays(3)), 104);
		Set<String> today = actions(rep, now.plus(Duration.ofMinutes(5)), 60);
		Set<String> upcoming = actions(rep, tokyo(2031, 3, 13, 9, 0), 65);
		UserRequestPostProcessor manager = as("manager", Groups.MANAGERS);

		String first = page("/inbox?assignee=" + rep, manager);
		// A full day of calls (the default capacity is 50) on one page.
		assertThat(ids(section(first, "today"))).containsExactlyInAnyOrderElementsOf(today);
		assertThat(section(first, "today")).doesNotContain("data-page-next", "data-page-previous");

		assertThat(walk(first, "upcoming", manager, rep, 3)).containsExactlyInAnyOrderElementsOf(upcoming);
		assertThat(section(first, "upcoming")).contains(">1–30 of 65<");
		assertThat(walk(first, "overdue", manager, rep, 2)).containsExactlyInAnyOrderElementsOf(overdue);

		// Paging one section keeps the page of another.
		String mixed = page("/inbox?assignee=" + rep + "&overduePage=1&upcomingPage=2", manager);
		assertThat(ids(section(mixed, "overdue"))).hasSize(4);
		assertThat(ids(section(mixed, "upcoming"))).hasSize(5);
		assertThat(link(section(mixed, "upcoming"), "previous")).contains("overduePage=1", "upcomingPage=1");
		// Beyond the last page: the last page.
		assertThat(ids(section(page("/inbox?assignee=" + rep + "&upcomingPage=9", manager), "upcoming"))).hasSize(5);
	}

	@Test
	void todayListsARepsWholeDailyCapacityOnOnePage() throws Exception {
		Instant now = clockAt(tokyo(2031, 3, 12, 9, 0));
		String rep = freshRep("capacity");
		reps.save(rep, true, 120);
		Set<String> today = actions(rep, now.plus(Duration.ofMinutes(1)), 115);
		String html = page("/inbox", as(rep, Groups.REPS));
		assertThat(ids(section(html, "today"))).containsExactlyInAnyOrderElementsOf(today);
		assertThat(section(html, "today")).doesNotContain("data-page-next");
	}

	@Test
	void aManagerWhoLogsAnOutcomeInARepsInboxComesBackToThatInbox() throws Exception {
		String rep = freshRep("managed");
		JsonNode lead = createLead("NURTURE", rep);
		UserRequestPostProcessor manager = as("manager", Groups.MANAGERS);
		assertThat(page("/inbox?assignee=" + rep, manager))
			.contains("href=\"/actions/" + actionId(lead) + "/form?inboxOf=" + rep + "\"");
		// From the lead page too: the manager goes back to the rep's inbox, not their own empty one.
		assertThat(page("/leads/" + lead.get("id").asText(), manager))
			.contains("href=\"/actions/" + actionId(lead) + "/form?inboxOf=" + rep + "\"");
		assertThat(page("/actions/" + actionId(lead) + "/form?inboxOf=" + rep, manager))
			.contains("name=\"inboxOf\" value=\"" + rep + "\"")
			.contains("href=\"/inbox?assignee=" + rep + "\"");
		mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(manager)
			.with(csrf())
			.param("outcome", "NO_ANSWER")
			.param("inboxOf", rep)).andExpect(redirectedUrl("/inbox?assignee=" + rep));
	}

	@Test
	void theWayBackAfterSavingIsAlwaysAnInboxOfAKnownUser() throws Exception {
		String rep = freshRep("back");
		for (String inboxOf : List.of("https://evil.example/", "nobody", "//evil.example")) {
			JsonNode lead = createLead("NURTURE", rep);
			mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as("manager", Groups.MANAGERS))
				.with(csrf())
				.param("outcome", "NO_ANSWER")
				.param("inboxOf", inboxOf)).andExpect(redirectedUrl("/inbox"));
		}
		// Only managers look at another inbox.
		JsonNode lead = createLead("NURTURE", rep);
		mvc.perform(post("/actions/{id}/complete", actionId(lead)).with(as(rep, Groups.REPS))
			.with(csrf())
			.param("outcome", "NO_ANSWER")
			.param("inboxOf", "rep2")).andExpect(redirectedUrl("/inbox"));
	}

	@Test
	void theInboxSelectorShowsTheChosenUserSalesIncludedAndSaysWhenThereIsNoSuchUser() throws Exception {
		UserRequestPostProcessor manager = as("manager", Groups.MANAGERS);
		String sales = page("/inbox?assignee=" + SALES, manager);
		assertThat(sales).containsPattern("<option value=\"" + SALES + "\"\\s+selected=\"selected\"")
			.containsPattern("<option value=\"rep1\">");
		assertThat(page("/inbox?assignee=rep1", manager)).containsPattern("<option value=\"rep1\"\\s+selected=\"selected\"");
		String nobody = page("/inbox?assignee=nobody", manager);
		assertThat(nobody).contains("data-unknown-user", "There is no user “nobody”")
			.doesNotContain("data-section=")
			.containsPattern("<option value=\"nobody\"\\s+selected>");
	}

	/** Follows a section's "next" links from the first page; each must keep the assignee. */
	private Set<String> walk(String html, String section, UserRequestPostProcessor user, String assignee, int pages)
			throws Exception {
		Set<String> seen = new LinkedHashSet<>();
		String current = html;
		for (int page = 1; page <= pages; page++) {
			List<String> ids = ids(section(current, section));
			assertThat(ids).as("page %d of %s", page, section).isNotEmpty().noneMatch(seen::contains);
			seen.addAll(ids);
			String next = link(section(current, section), "next");
			if (page == pages) {
				assertThat(next).as("no page after the last").isNull();
				break;
			}
			assertThat(next).startsWith("/inbox?")
				.contains("assignee=" + assignee, section + "Page=" + page)
				.endsWith("#" + section);
			current = page(next.substring(0, next.indexOf('#')), user);
			assertThat(link(section(current, section), "previous")).contains("assignee=" + assignee);
		}
		return seen;
	}

	private String page(String url, UserRequestPostProcessor user) throws Exception {
		return mvc.perform(get(url).with(user))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	/** {@code count} open calls of the rep, one a minute from {@code from}, each on a lead of its own. */
	private Set<String> actions(String rep, Instant from, int count) {
		Set<String> ids = new LinkedHashSet<>();
		for (int i = 0; i < count; i++) {
			String leadId = UUID.randomUUID().toString();
			String actionId = UUID.randomUUID().toString();
			Instant created = from.minus(Duration.ofDays(10));
			jdbc.sql("INSERT INTO lf_lead (id, external_id, route, status, company, time_zone, owner, created_at, "
					+ "updated_at) VALUES (?, ?, 'NURTURE', 'ACTIVE', ?, 'Asia/Tokyo', ?, ?, ?)")
				.params(leadId, "paging-" + leadId, "株式会社ページ " + i, rep, Sql.ts(created), Sql.ts(created))
				.update();
			jdbc.sql("INSERT INTO lf_next_action (id, lead_id, open_lead_id, type, status, due_at, assignee, created_at) "
					+ "VALUES (?, ?, ?, 'CALL', 'OPEN', ?, ?, ?)")
				.params(actionId, leadId, leadId, Sql.ts(from.plus(Duration.ofMinutes(i))), rep, Sql.ts(created))
				.update();
			leadIds.add(leadId);
			ids.add(actionId);
		}
		return ids;
	}

	private static String section(String html, String key) {
		Matcher m = Pattern.compile("<section[^>]*data-section=\"" + key + "\".*?</section>", Pattern.DOTALL).matcher(html);
		assertThat(m.find()).as("section " + key).isTrue();
		return m.group();
	}

	private static List<String> ids(String section) {
		List<String> ids = new ArrayList<>();
		Matcher m = Pattern.compile("data-action-id=\"([^\"]+)\"").matcher(section);
		while (m.find()) {
			ids.add(m.group(1));
		}
		return ids;
	}

	private static String link(String section, String which) {
		Matcher m = Pattern.compile("<a[^>]*href=\"([^\"]+)\"[^>]*data-page-" + which).matcher(section);
		return m.find() ? HtmlUtils.htmlUnescape(m.group(1)) : null;
	}

}
