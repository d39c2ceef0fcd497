package com.leadflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.process.LeadProcess;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The audit page over MockMvc with the real form login and CSRF: who may see it, the broken lead
 * with its reason in English and Japanese, and each fix as a form (new next action, bulk
 * reassignment, incident retry), plus the CSV exports on the page session.
 */
@LeadflowTest
class AuditPageTest extends LeadflowApiSupport {

	static final Instant WEDNESDAY_10 = tokyo(2026, 12, 2, 10, 0);

	@BeforeEach
	void workingDayMorning() {
		clockAt(WEDNESDAY_10);
	}

	@Test
	void managersOnly() throws Exception {
		assertThat(page("/audit", login(MANAGER)).getStatus()).isEqualTo(200);
		MockHttpSession rep = login("rep1");
		for (String path : List.of("/audit", "/audit/export/overdue")) {
			assertThat(page(path, rep).getStatus()).as("rep1 on %s", path).isEqualTo(403);
		}
		assertThat(mvc.perform(post("/audit/reassign").session(rep).with(csrf()).param("from", "rep1").param("to", "rep2"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		for (String user : List.of("marketing", "sales1")) {
			assertThat(page("/audit", login(user)).getStatus()).as(user).isEqualTo(403);
		}
		MockHttpServletResponse anonymous = mvc.perform(get("/audit")).andReturn().getResponse();
		assertThat(anonymous.getStatus()).isEqualTo(302);
		assertThat(anonymous.getRedirectedUrl()).endsWith("/login");
	}

	@Test
	void brokenLeadIsListedWithItsReasonInEnglishAndJapanese() throws Exception {
		String rep = freshRep("aud");
		JsonNode lead = createLead("NURTURE", rep);
		String id = lead.get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		MockHttpSession manager = login(MANAGER);

		String english = html(get("/audit").param("owner", rep).param("lang", "en"), manager);
		assertThat(english).contains("Leads without a next action").contains(lead.get("company").asText());
		assertThat(row(english, id)).contains("data-reason=\"PROCESS_ENDED\"").contains("Process ended");
		String japanese = html(get("/audit").param("owner", rep).param("lang", "ja"), manager);
		assertThat(japanese).contains("次アクションのないリード").contains(lead.get("company").asText());
		assertThat(row(japanese, id)).contains("プロセス終了");

		String csv = mvc.perform(get("/audit/export/no-next-action").param("owner", rep).session(manager))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(csv).startsWith("\uFEFFleadId,company,").contains(id + "," + lead.get("company").asText());
		assertThat(page("/audit/export/nothing", manager).getStatus()).isEqualTo(404);
	}

	@Test
	void newNextActionThroughThePageRepairsTheLead() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("UPSELL", rep).get("id").asText();
		runtimeService.deleteProcessInstance(leadInstance(id).getId(), "cockpit");
		MockHttpSession manager = login(MANAGER);

		// Without the CSRF token the form is refused.
		assertThat(mvc.perform(repairForm(id, "CALL", "2026-12-03T14:00", rep).session(manager))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		// Saturday, a meeting, an unknown rep: the page says why and nothing changes.
		assertThat(flashKey(mvc.perform(repairForm(id, "CALL", "2026-12-05T14:00", rep).session(manager).with(csrf()))
			.andReturn())).isEqualTo("audit.error.dueAt");
		assertThat(flashKey(mvc.perform(repairForm(id, "MEETING", "2026-12-03T14:00", rep).session(manager).with(csrf()))
			.andReturn())).isEqualTo("audit.error.type");
		assertThat(flashKey(mvc.perform(repairForm(id, "CALL", "2026-12-03T14:00", "nosuch" + rep).session(manager)
			.with(csrf())).andReturn())).isEqualTo("audit.error.assignee");
		assertThat(processesOf(id)).isEmpty();

		MvcResult done = mvc.perform(repairForm(id, "CALL", "2026-12-03T14:00", rep).param("owner", rep)
			.session(manager)
			.with(csrf())).andReturn();
		assertThat(done.getResponse().getRedirectedUrl()).isEqualTo("/audit?owner=" + rep);
		assertThat(flashKey(done)).isEqualTo("audit.flash.repaired");
		JsonNode lead = assertInvariant(id);
		assertThat(dueAt(lead)).isEqualTo(tokyo(2026, 12, 3, 14, 0));
		assertThat(row(html(get("/audit").param("owner", rep).param("lang", "en"), manager), id)).isEmpty();
	}

	@Test
	void bulkReassignmentThroughThePage() throws Exception {
		String from = freshRep("aud");
		String to = freshRep("aud");
		List<String> ids = List.of(createLead("NURTURE", from).get("id").asText(),
				createLead("OUTBOUND", from).get("id").asText());
		MockHttpSession manager = login(MANAGER);

		assertThat(flashKey(reassign(manager, Map.of("from", from, "mode", "to")))).isEqualTo("audit.error.to");
		assertThat(flashKey(reassign(manager, Map.of("from", from, "mode", "to", "to", from)))).isEqualTo("audit.error.to");
		assertThat(flashKey(reassign(manager, Map.of("mode", "spread")))).isEqualTo("audit.error.from");

		MvcResult moved = reassign(manager, Map.of("from", from, "mode", "to", "to", to));
		assertThat(flashKey(moved)).isEqualTo("audit.flash.reassigned");
		assertThat(((AuditPageController.Flash) moved.getFlashMap().get("flash")).args()).containsExactly(2, from, to);
		// Shown after the redirect (a new session: this one still holds the flashes of the refused forms).
		assertThat(html(get("/audit").flashAttr("flash", moved.getFlashMap().get("flash")).param("lang", "ja"), login(MANAGER)))
			.contains(from + " の未完了アクション 2 件を " + to + " に移しました。");
		for (String id : ids) {
			assertThat(assertInvariant(id).get("owner").asText()).isEqualTo(to);
			assertThat(openTasksOf(id).get(0).getAssignee()).isEqualTo(to);
		}

		MvcResult spread = reassign(manager, Map.of("from", to, "mode", "spread", "to", to));
		assertThat(flashKey(spread)).isEqualTo("audit.flash.spread");
		for (String id : ids) {
			String owner = assertInvariant(id).get("owner").asText();
			assertThat(owner).isNotEqualTo(to);
			assertThat(openTasksOf(id).get(0).getAssignee()).isEqualTo(owner);
		}
	}

	@Test
	void reassigningFromAnUnknownUserSaysThereIsNoSuchUserInBothLanguages() throws Exception {
		String to = freshRep("aud");
		String nobody = "nobody" + to;
		MockHttpSession manager = login(MANAGER);

		MvcResult english = mvc.perform(post("/audit/reassign").session(manager).with(csrf()).param("from", nobody)
			.param("mode", "to").param("to", to).header("Accept-Language", "en")).andReturn();
		assertThat(flashKey(english)).isEqualTo("audit.error.from");
		assertThat(((AuditPageController.Flash) english.getFlashMap().get("flash")).detail())
			.isEqualTo("There is no user \u201c" + nobody + "\u201d, and no open action is assigned to that name.");
		MvcResult japanese = mvc.perform(post("/audit/reassign").session(manager).with(csrf()).param("from", nobody)
			.param("mode", "spread").header("Accept-Language", "ja")).andReturn();
		assertThat(flashKey(japanese)).isEqualTo("audit.error.from");
		assertThat(html(get("/audit").flashAttr("flash", japanese.getFlashMap().get("flash")).param("lang", "ja"),
				login(MANAGER))).contains("ユーザー「" + nobody + "」は存在せず");

		// A user deleted from the identity service whose work is still open is reassigned as before.
		String gone = freshRep("aud");
		String id = createLead("NURTURE", gone).get("id").asText();
		identityService.deleteUser(gone);
		MvcResult moved = reassign(manager, Map.of("from", gone, "mode", "to", "to", to));
		assertThat(flashKey(moved)).isEqualTo("audit.flash.reassigned");
		assertThat(((AuditPageController.Flash) moved.getFlashMap().get("flash")).args()).containsExactly(1, gone, to);
		assertThat(assertInvariant(id).get("owner").asText()).isEqualTo(to);
	}

	@Test
	void aRefusedRepairSaysWhyInThePagesLanguage() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		MockHttpSession manager = login(MANAGER);

		MvcResult saturday = mvc.perform(repairForm(id, "CALL", "2026-12-05T14:00", rep).session(manager).with(csrf())
			.header("Accept-Language", "ja")).andReturn();
		assertThat(flashKey(saturday)).isEqualTo("audit.error.dueAt");
		assertThat(((AuditPageController.Flash) saturday.getFlashMap().get("flash")).detail())
			.startsWith("2026-12-05（土曜日）はリードのタイムゾーン（Asia/Tokyo）で営業日ではありません。")
			.contains("次に指定できる日時は 2026-12-07 09:00 です。");
		MvcResult stranger = mvc.perform(repairForm(id, "CALL", "2026-12-03T14:00", "nosuch" + rep).session(manager)
			.with(csrf())
			.header("Accept-Language", "ja")).andReturn();
		assertThat(((AuditPageController.Flash) stranger.getFlashMap().get("flash")).detail())
			.isEqualTo("「nosuch" + rep + "」は有効な担当者ではありません。");
		assertInvariant(id);
	}

	@Test
	void incidentRetryThroughThePage() throws Exception {
		String rep = freshRep("aud");
		String id = createLead("NURTURE", rep).get("id").asText();
		JsonNode lead = complete(actionId(lead(id)), rep, Map.of("outcome", "CONTACTED", "hearing", Map.of("need", "SFA")));
		assertThat(actionType(lead)).isEqualTo("CONTENT");
		ProcessInstance route = processesOf(id).stream()
			.filter(p -> p.getProcessDefinitionId().startsWith(LeadProcess.NURTURE + ":"))
			.findFirst()
			.orElseThrow();
		Job timer = timerJobsOf(id, LeadProcess.Elements.TIMER_CONTENT_DUE).get(0);
		Object actionId = runtimeService.getVariable(route.getId(), LeadProcess.Vars.ACTION_ID);
		runtimeService.setVariable(route.getId(), LeadProcess.Vars.ACTION_ID, "missing");
		managementService.setJobRetries(timer.getId(), 1);
		clockAt(dueAt(lead).plus(1, ChronoUnit.HOURS));
		try {
			managementService.executeJob(timer.getId());
		}
		catch (RuntimeException expected) {
			// the step fails: an incident
		}
		Incident incident = runtimeService.createIncidentQuery().processInstanceId(route.getId()).singleResult();
		assertThat(incident).isNotNull();
		MockHttpSession manager = login(MANAGER);
		assertThat(html(get("/audit").param("lang", "en"), manager)).contains("id=\"incident-" + incident.getId() + "\"");
		assertThat(row(html(get("/audit").param("owner", rep).param("lang", "en"), manager), id))
			.contains("data-reason=\"INCIDENT\"");

		runtimeService.setVariable(route.getId(), LeadProcess.Vars.ACTION_ID, actionId);
		MvcResult retried = mvc.perform(post("/audit/incidents/{id}/retry", incident.getId()).session(manager).with(csrf()))
			.andReturn();
		assertThat(flashKey(retried)).isEqualTo("audit.flash.retried");
		managementService.executeJob(timer.getId());
		assertThat(actionType(assertInvariant(id))).isEqualTo("CALL");
		assertThat(flashKey(mvc.perform(post("/audit/incidents/{id}/retry", incident.getId()).session(manager).with(csrf()))
			.andReturn())).isEqualTo("audit.error.notFound");
	}

	@Test
	void checkNowRecordsARun() throws Exception {
		MvcResult checked = mvc.perform(post("/audit/check").session(login(MANAGER)).with(csrf())).andReturn();
		assertThat(checked.getResponse().getRedirectedUrl()).isEqualTo("/audit");
		assertThat(flashKey(checked)).isEqualTo("audit.flash.checked");
	}

	@Test
	void bothLanguagesHaveEveryMessage() throws Exception {
		Properties english = bundle("i18n/audit.properties");
		Properties japanese = bundle("i18n/audit_ja.properties");
		assertThat(japanese.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
		for (Finding.Reason reason : Finding.Reason.values()) {
			assertThat(english).containsKeys("audit.reason." + reason.name(), "audit.reason." + reason.name() + ".help");
		}
	}

	// ---------------------------------------------------------------- helpers

	MockHttpSession login(String user) throws Exception {
		MvcResult result = mvc.perform(formLogin("/login").user(user).password(password(user))).andReturn();
		assertThat(result.getResponse().getStatus()).as("login of %s", user).isEqualTo(302);
		assertThat(result.getResponse().getRedirectedUrl()).doesNotContain("error");
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	MockHttpServletResponse page(String path, MockHttpSession session) throws Exception {
		return mvc.perform(get(path).session(session)).andReturn().getResponse();
	}

	String html(MockHttpServletRequestBuilder request, MockHttpSession session) throws Exception {
		MockHttpServletResponse response = mvc.perform(request.session(session)).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		return response.getContentAsString(StandardCharsets.UTF_8);
	}

	/** The findings table row of a lead ("" when it is not listed). */
	static String row(String html, String leadId) {
		int start = html.indexOf("id=\"finding-" + leadId + "\"");
		if (start < 0) {
			return "";
		}
		return html.substring(start, html.indexOf("</tr>", start));
	}

	static MockHttpServletRequestBuilder repairForm(String leadId, String type, String dueAt, String assignee) {
		return post("/audit/leads/{id}/next-action", leadId).param("type", type)
			.param("dueAt", dueAt)
			.param("assignee", assignee);
	}

	MvcResult reassign(MockHttpSession session, Map<String, String> form) throws Exception {
		MockHttpServletRequestBuilder request = post("/audit/reassign").session(session).with(csrf());
		for (Map.Entry<String, String> field : form.entrySet()) {
			request = request.param(field.getKey(), field.getValue());
		}
		MvcResult result = mvc.perform(request).andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(302);
		return result;
	}

	static String flashKey(MvcResult result) {
		assertThat(result.getResponse().getStatus()).isEqualTo(302);
		AuditPageController.Flash flash = (AuditPageController.Flash) result.getFlashMap().get("flash");
		assertThat(flash).as("flash message").isNotNull();
		return flash.key();
	}

	ProcessInstance leadInstance(String leadId) {
		return processesOf(leadId).stream()
			.filter(p -> p.getProcessDefinitionId().startsWith(LeadProcess.KEY + ":"))
			.findFirst()
			.orElseThrow();
	}

	static Properties bundle(String path) throws Exception {
		Properties properties = new Properties();
		try (InputStream in = AuditPageTest.class.getClassLoader().getResourceAsStream(path)) {
			properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
