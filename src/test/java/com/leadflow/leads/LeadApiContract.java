package com.leadflow.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.scheduling.JapaneseHolidays;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.context.WebApplicationContext;

/**
 * The REST contract of API.md for leads, the inbox, completing actions, lead events and
 * security, through MockMvc and the real security filters. Concrete subclasses run it on H2
 * ({@link LeadApiTest}) and on a MySQL-protocol server ({@link LeadApiMySqlIT}).
 *
 * <p>The Spring context and the database are shared with other test classes: every test makes
 * its own leads (unique externalIds and emails), and a test that needs a rep nobody else gives
 * work to creates a fresh one in the identity service.
 */
abstract class LeadApiContract {

	/** Wednesday 2026-12-02 10:00 in Asia/Tokyo: a working day, inside working hours. */
	static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");

	static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

	@Autowired
	MockMvc mvc;

	@Autowired
	ObjectMapper json;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	@Autowired
	IdentityService identity;

	@Autowired
	WebApplicationContext context;

	@Autowired
	@Qualifier("springSecurityFilterChain")
	Filter securityFilters;

	@BeforeEach
	void fixTheClock() {
		ClockUtil.setCurrentTime(Date.from(NOW));
	}

	@AfterEach
	void resetTheClock() {
		ClockUtil.reset();
	}

	// ---------------------------------------------------------------------------------------------
	// POST /api/leads
	// ---------------------------------------------------------------------------------------------

	@Test
	void createsLeadWithFirstNextAction() throws Exception {
		String rep = freshRep();
		Map<String, Object> body = leadBody(rep);

		Response created = postJson("/api/leads", body, as("marketing"));

		assertThat(created.status()).isEqualTo(201);
		JsonNode lead = created.json();
		String id = lead.path("id").asText();
		assertThat(id).isNotBlank();
		assertThat(created.header(HttpHeaders.LOCATION)).endsWith("/api/leads/" + id);
		assertThat(lead.path("externalId").asText()).isEqualTo(body.get("externalId"));
		assertThat(lead.path("route").asText()).isEqualTo("NURTURE");
		assertThat(lead.path("status").asText()).isEqualTo("ACTIVE");
		assertThat(lead.path("company").asText()).isEqualTo(body.get("company"));
		assertThat(lead.path("contactName").asText()).isEqualTo(body.get("contactName"));
		assertThat(lead.path("email").asText()).isEqualTo(body.get("email"));
		assertThat(lead.path("phone").asText()).isEqualTo(body.get("phone"));
		assertThat(lead.path("timeZone").asText()).isEqualTo("Asia/Tokyo");
		assertThat(lead.path("source").asText()).isEqualTo("EXHIBITION");
		assertThat(lead.path("owner").asText()).isEqualTo(rep);
		assertThat(lead.path("doNotContact").asBoolean(true)).isFalse();
		assertThat(lead.path("deduplicated").asBoolean(true)).isFalse();
		assertThat(Instant.parse(lead.path("createdAt").asText())).isEqualTo(NOW);
		assertThat(lead.has("lastTouchAt")).isTrue();
		assertThat(lead.path("lastTouchAt").isNull()).isTrue();

		JsonNode next = lead.path("nextAction");
		assertThat(next.path("id").asText()).isNotBlank();
		assertThat(next.path("type").asText()).isEqualTo("CALL");
		assertThat(next.path("assignee").asText()).isEqualTo(rep);
		// A new nurture lead is called right away: now is inside working hours.
		assertThat(instant(next, "dueAt")).isEqualTo(NOW);

		assertThat(openActionIds(id)).containsExactly(next.path("id").asText());
		assertThat(leadProcesses(id)).isEqualTo(1);
		List<Task> open = openTasks(id);
		assertThat(open).hasSize(1);
		assertThat(open.get(0).getAssignee()).isEqualTo(rep);
	}

	@Test
	void returnsExistingLeadWhenExternalIdIsSubmittedAgain() throws Exception {
		Map<String, Object> body = leadBody(freshRep());
		String id = createLead(body).path("id").asText();
		Snapshot before = snapshot(id);
		long leadsBefore = count("lf_lead");

		Map<String, Object> retry = new LinkedHashMap<>(body);
		retry.put("company", "Changed on retry");
		Response again = postJson("/api/leads", retry, as("marketing"));

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.header(HttpHeaders.LOCATION)).isNull();
		assertThat(again.json().path("id").asText()).isEqualTo(id);
		assertThat(again.json().path("company").asText()).isEqualTo(body.get("company"));
		assertThat(again.json().path("nextAction").path("id").asText()).isEqualTo(before.openActions().get(0));
		assertThat(count("lf_lead")).isEqualTo(leadsBefore);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", Long.class,
				body.get("externalId"))).isEqualTo(1);
		assertThat(snapshot(id)).isEqualTo(before);
		assertThat(leadProcesses(id)).isEqualTo(1);
	}

	@Test
	void deduplicatesOnEmailOfActiveLeadIgnoringCase() throws Exception {
		Map<String, Object> first = leadBody(freshRep());
		String id = createLead(first).path("id").asText();
		long leadsBefore = count("lf_lead");
		long processesBefore = allLeadProcesses();

		Map<String, Object> second = leadBody(null);
		second.put("email", ((String) first.get("email")).toUpperCase());
		second.put("source", "WEB");
		Response response = postJson("/api/leads", second, as("marketing"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("id").asText()).isEqualTo(id);
		assertThat(response.json().path("deduplicated").asBoolean()).isTrue();
		assertThat(count("lf_lead")).isEqualTo(leadsBefore);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", Long.class,
				second.get("externalId"))).isZero();
		assertThat(leadProcesses(id)).isEqualTo(1);
		assertThat(allLeadProcesses()).isEqualTo(processesBefore);
		assertThat(openActionIds(id)).hasSize(1);

		JsonNode history = getLead(id, as("marketing")).path("history");
		assertThat(types(history)).containsExactly("CREATED", "ENGAGEMENT");
		JsonNode engagement = history.get(1);
		assertThat(engagement.path("by").asText()).isEqualTo("marketing");
		assertThat(engagement.path("note").asText()).contains((String) second.get("externalId"));
	}

	@Test
	void retryOfDeduplicatedSubmissionRecordsNothingNew() throws Exception {
		Map<String, Object> first = leadBody(freshRep());
		String id = createLead(first).path("id").asText();
		Map<String, Object> second = leadBody(null);
		second.put("email", first.get("email"));
		assertThat(postJson("/api/leads", second, as("marketing")).status()).isEqualTo(200);
		long leadsBefore = count("lf_lead");

		Response retry = postJson("/api/leads", second, as("marketing"));

		assertThat(retry.status()).isEqualTo(200);
		assertThat(retry.json().path("id").asText()).isEqualTo(id);
		assertThat(retry.json().path("deduplicated").asBoolean()).isTrue();
		assertThat(count("lf_lead")).isEqualTo(leadsBefore);
		assertThat(types(getLead(id, as("marketing")).path("history"))).containsExactly("CREATED", "ENGAGEMENT");
		assertThat(leadProcesses(id)).isEqualTo(1);
	}

	@Test
	void personWhoAskedNotToBeContactedIsNotPutBackIntoAnInbox() throws Exception {
		String rep = freshRep();
		Map<String, Object> first = leadBody(rep);
		JsonNode lead = createLead(first);
		String id = lead.path("id").asText();
		event(id, Map.of("type", "DO_NOT_CONTACT"), as("manager")).expectStatus(200);
		long leadsBefore = count("lf_lead");

		Map<String, Object> again = leadBody(null);
		again.put("email", first.get("email").toString().toUpperCase());
		Response response = postJson("/api/leads", again, as("marketing"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode answer = response.json();
		assertThat(answer.path("id").asText()).isEqualTo(id);
		assertThat(answer.path("deduplicated").asBoolean()).isTrue();
		assertThat(answer.path("status").asText()).isEqualTo("CLOSED");
		assertThat(answer.path("doNotContact").asBoolean()).isTrue();
		assertThat(answer.path("nextAction").isNull()).isTrue();
		assertThat(count("lf_lead")).isEqualTo(leadsBefore);
		assertThat(leadProcesses(id)).isZero();
		JsonNode history = getLead(id, as("manager")).path("history");
		assertThat(types(history)).endsWith("ENGAGEMENT");
		assertThat(history.get(history.size() - 1).path("note").asText()).contains("do not contact");
		// A retry of that submission gives the same answer without recording it twice.
		assertThat(postJson("/api/leads", again, as("marketing")).json().path("id").asText()).isEqualTo(id);
		assertThat(getLead(id, as("manager")).path("history")).hasSameSizeAs(history);
	}

	@Test
	void doesNotDeduplicateOnEmailOfClosedLead() throws Exception {
		String rep = freshRep();
		Map<String, Object> first = leadBody(rep);
		JsonNode closed = createLead(first);
		complete(closed.path("nextAction").path("id").asText(), Map.of("outcome", "DISQUALIFIED"), as(rep))
			.expectStatus(200);
		assertThat(getLead(closed.path("id").asText(), as("manager")).path("status").asText()).isEqualTo("CLOSED");

		Map<String, Object> second = leadBody(rep);
		second.put("email", first.get("email"));
		Response response = postJson("/api/leads", second, as("marketing"));

		assertThat(response.status()).isEqualTo(201);
		JsonNode lead = response.json();
		assertThat(lead.path("id").asText()).isNotEqualTo(closed.path("id").asText());
		assertThat(lead.path("deduplicated").asBoolean()).isFalse();
		assertThat(lead.path("status").asText()).isEqualTo("ACTIVE");
		assertThat(lead.path("nextAction").path("type").asText()).isEqualTo("CALL");
		assertThat(leadProcesses(lead.path("id").asText())).isEqualTo(1);
	}

	@Test
	void createsLeadsWithPhoneOnlyWithoutDeduplicatingThem() throws Exception {
		String rep = freshRep();
		Map<String, Object> first = leadBody(rep);
		first.remove("email");
		Map<String, Object> second = leadBody(rep);
		second.remove("email");

		JsonNode one = createLead(first);
		JsonNode two = createLead(second);

		assertThat(one.path("email").isNull()).isTrue();
		assertThat(one.path("phone").asText()).isEqualTo("+81-3-1234-5678");
		assertThat(two.path("id").asText()).isNotEqualTo(one.path("id").asText());
		assertThat(two.path("deduplicated").asBoolean()).isFalse();
	}

	@Test
	void createsOneLeadWhenTheSameSubmissionArrivesConcurrently() throws Exception {
		String rep = freshRep();
		warmUp(rep);
		Map<String, Object> body = leadBody(rep);

		List<Response> responses = concurrently(6, () -> postJson("/api/leads", body, as("marketing")));

		assertThat(responses).extracting(Response::status).containsOnly(201, 200).containsOnlyOnce(201);
		List<String> ids = new ArrayList<>();
		for (Response response : responses) {
			ids.add(response.json().path("id").asText());
		}
		assertThat(ids).containsOnly(ids.get(0));
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", Long.class,
				body.get("externalId"))).isEqualTo(1);
		assertThat(leadProcesses(ids.get(0))).isEqualTo(1);
		assertThat(openActionIds(ids.get(0))).hasSize(1);
	}

	@Test
	void createsOneLeadWhenTheSamePersonArrivesConcurrently() throws Exception {
		String rep = freshRep();
		warmUp(rep);
		String email = "same.person." + unique() + "@example.co.jp";

		List<Response> responses = concurrently(6, () -> {
			Map<String, Object> body = leadBody(rep);
			body.put("email", email);
			return postJson("/api/leads", body, as("marketing"));
		});

		assertThat(responses).extracting(Response::status).containsOnly(201, 200).containsOnlyOnce(201);
		List<String> ids = new ArrayList<>();
		for (Response response : responses) {
			ids.add(response.json().path("id").asText());
			assertThat(response.json().path("deduplicated").asBoolean()).isEqualTo(response.status() == 200);
		}
		assertThat(ids).containsOnly(ids.get(0));
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE email = ?", Long.class, email)).isEqualTo(1);
		assertThat(leadProcesses(ids.get(0))).isEqualTo(1);
		assertThat(types(getLead(ids.get(0), as("manager")).path("history"))).containsOnlyOnce("CREATED")
			.filteredOn("ENGAGEMENT"::equals)
			.hasSize(5);
	}

	@Test
	void rejectsMissingExternalIdWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.remove("externalId");
		assertRejectedAndNothingStored(body, "externalId");
	}

	@Test
	void rejectsMissingCompanyWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.remove("company");
		assertRejectedAndNothingStored(body, "company");
	}

	@Test
	void rejectsLeadWithNeitherEmailNorPhone() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.remove("email");
		body.remove("phone");
		assertRejectedAndNothingStored(body, "email");
	}

	@Test
	void rejectsMalformedEmailWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("email", "taro.at.example.co.jp");
		assertRejectedAndNothingStored(body, "email");
	}

	@Test
	void rejectsUnknownRouteWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("route", "COLD_CALL");
		assertRejectedAndNothingStored(body, "route");
	}

	@Test
	void rejectsRouteGivenAsNumber() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("route", 1);
		assertRejectedAndNothingStored(body, "route");
	}

	@Test
	void rejectsUnknownTimeZoneWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("timeZone", "Asia/Atlantis");
		assertRejectedAndNothingStored(body, "timeZone");
	}

	@Test
	void rejectsUnknownOwnerWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("nobody" + unique());
		assertRejectedAndNothingStored(body, "owner");
	}

	@Test
	void rejectsOwnerWhoIsNotARep() throws Exception {
		Map<String, Object> body = leadBody("marketing");
		assertRejectedAndNothingStored(body, "owner");
	}

	@Test
	void rejectsFieldOverItsLengthWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("company", "株".repeat(201));
		assertRejectedAndNothingStored(body, "company");
	}

	@Test
	void rejectsUnknownJsonPropertyWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("priority", "HIGH");
		assertRejectedAndNothingStored(body, "priority");
	}

	@Test
	void rejectsMalformedJsonWithProblemDetail() throws Exception {
		String body = json.writeValueAsString(leadBody("rep1"));
		assertRejectedAndNothingStored(body.substring(0, body.length() - 1) + ",", "body");
	}

	@Test
	void rejectsMissingBodyWithProblemDetail() throws Exception {
		assertRejectedAndNothingStored("", "body");
	}

	@Test
	void rejectsWrongJsonTypeWithProblemDetail() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		body.put("company", List.of("Acme", "Inc."));
		assertRejectedAndNothingStored(body, "company");
	}

	@Test
	void keepsJapaneseNamesExactly() throws Exception {
		// 𠮷 is outside the BMP: four bytes in UTF-8, only stored by utf8mb4.
		String company = "株式会社𠮷野家サンプル（東京）";
		String contact = "山田 太郎";
		String note = "展示会ブース来場、価格に関心あり";
		Map<String, Object> body = leadBody(freshRep());
		body.put("company", company);
		body.put("contactName", contact);
		body.put("note", note);

		JsonNode created = createLead(body);
		String id = created.path("id").asText();

		assertThat(created.path("company").asText()).isEqualTo(company);
		assertThat(created.path("contactName").asText()).isEqualTo(contact);
		JsonNode read = getLead(id, as("marketing"));
		assertThat(read.path("company").asText()).isEqualTo(company);
		assertThat(read.path("contactName").asText()).isEqualTo(contact);
		assertThat(read.path("history").get(0).path("note").asText()).isEqualTo(note);
		assertThat(jdbc.queryForObject("SELECT company FROM lf_lead WHERE id = ?", String.class, id)).isEqualTo(company);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE id = ? AND company = ?", Long.class, id,
				company)).isEqualTo(1);
	}

	@Test
	void acceptsJapaneseFieldsAtTheirMaximumLength() throws Exception {
		Map<String, Object> body = leadBody(freshRep());
		body.put("company", "株".repeat(200));
		body.put("contactName", "山".repeat(100));
		body.put("note", "メモ".repeat(1000));

		JsonNode created = createLead(body);

		JsonNode read = getLead(created.path("id").asText(), as("manager"));
		assertThat(read.path("company").asText()).isEqualTo("株".repeat(200));
		assertThat(read.path("contactName").asText()).isEqualTo("山".repeat(100));
		assertThat(read.path("history").get(0).path("note").asText()).isEqualTo("メモ".repeat(1000));
	}

	@Test
	void respectsExplicitOwner() throws Exception {
		JsonNode lead = createLead(leadBody("rep2"));

		assertThat(lead.path("owner").asText()).isEqualTo("rep2");
		assertThat(lead.path("nextAction").path("assignee").asText()).isEqualTo("rep2");
		assertThat(openTasks(lead.path("id").asText())).extracting(Task::getAssignee).containsExactly("rep2");
	}

	@Test
	void assignsLeadWithoutOwnerToARep() throws Exception {
		JsonNode lead = createLead(leadBody(null));

		String owner = lead.path("owner").asText();
		assertThat(owner).isNotBlank();
		assertThat(identity.createUserQuery().userId(owner).memberOfGroup("reps").count()).isEqualTo(1);
		JsonNode next = lead.path("nextAction");
		assertThat(next.path("type").asText()).isEqualTo("CALL");
		assertThat(next.path("assignee").asText()).isEqualTo(owner);
		assertThat(instant(next, "dueAt")).isAfterOrEqualTo(NOW);
		assertWorkingTime(instant(next, "dueAt"), TOKYO);
	}

	@Test
	void letsManagersSubmitLeads() throws Exception {
		Response response = postJson("/api/leads", leadBody(freshRep()), as("manager"));

		assertThat(response.status()).isEqualTo(201);
	}

	// ---------------------------------------------------------------------------------------------
	// GET /api/leads/{id}
	// ---------------------------------------------------------------------------------------------

	@Test
	void returnsLeadWithHistoryOldestFirst() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		Instant later = NOW.plus(Duration.ofHours(2));
		ClockUtil.setCurrentTime(Date.from(later));
		complete(lead.path("nextAction").path("id").asText(),
				Map.of("outcome", "NO_ANSWER", "note", "voicemail"), as(rep)).expectStatus(200);

		Response read = get("/api/leads/" + id, as(rep));

		assertThat(read.status()).isEqualTo(200);
		JsonNode body = read.json();
		assertThat(body.path("id").asText()).isEqualTo(id);
		assertThat(body.path("nextAction").path("type").asText()).isEqualTo("CALL");
		JsonNode history = body.path("history");
		assertThat(types(history)).containsExactly("CREATED", "ACTION_COMPLETED");
		for (JsonNode entry : history) {
			assertThat(entry.has("at") && entry.has("type") && entry.has("outcome") && entry.has("by") && entry.has("note"))
				.as("history entry %s has at, type, outcome, by, note", entry)
				.isTrue();
		}
		assertThat(instant(history.get(0), "at")).isEqualTo(NOW);
		assertThat(history.get(0).path("by").asText()).isEqualTo("marketing");
		assertThat(history.get(0).path("outcome").isNull()).isTrue();
		assertThat(instant(history.get(1), "at")).isEqualTo(later);
		assertThat(history.get(1).path("outcome").asText()).isEqualTo("NO_ANSWER");
		assertThat(history.get(1).path("by").asText()).isEqualTo(rep);
		assertThat(history.get(1).path("note").asText()).isEqualTo("voicemail");
	}

	@Test
	void returnsNotFoundProblemForUnknownLead() throws Exception {
		Response response = get("/api/leads/" + UUID.randomUUID(), as("manager"));

		assertProblem(response, 404);
	}

	@Test
	void letsRepReadOwnLeadButNotAnotherRepsLead() throws Exception {
		String id = createLead(leadBody("rep1")).path("id").asText();

		assertThat(get("/api/leads/" + id, as("rep1")).status()).isEqualTo(200);
		assertProblem(get("/api/leads/" + id, as("rep2")), 403);
	}

	@Test
	void letsMarketingAndManagersReadAnyLead() throws Exception {
		String id = createLead(leadBody("rep1")).path("id").asText();

		for (String user : List.of("marketing", "manager", "admin")) {
			Response response = get("/api/leads/" + id, as(user));
			assertThat(response.status()).as(user).isEqualTo(200);
			assertThat(response.json().path("id").asText()).isEqualTo(id);
			assertThat(response.json().path("history").isArray()).isTrue();
		}
	}

	@Test
	void forbidsSalesToReadLeadNotHandedToThem() throws Exception {
		String id = createLead(leadBody("rep1")).path("id").asText();

		assertProblem(get("/api/leads/" + id, as("sales1")), 403);
	}

	// ---------------------------------------------------------------------------------------------
	// GET /api/leads
	// ---------------------------------------------------------------------------------------------

	@Test
	void pagesLeadsOfAnOwner() throws Exception {
		String rep = freshRep();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(createLead(leadBody(rep)).path("id").asText());
		}

		JsonNode first = get("/api/leads?owner=" + rep + "&page=0&size=2", as("manager")).expectStatus(200).json();
		JsonNode second = get("/api/leads?owner=" + rep + "&page=1&size=2", as("manager")).expectStatus(200).json();

		assertThat(first.path("totalElements").asLong()).isEqualTo(3);
		assertThat(first.path("totalPages").asInt()).isEqualTo(2);
		assertThat(first.path("page").asInt()).isZero();
		assertThat(first.path("size").asInt()).isEqualTo(2);
		assertThat(first.path("content")).hasSize(2);
		assertThat(second.path("page").asInt()).isEqualTo(1);
		assertThat(second.path("content")).hasSize(1);
		List<String> seen = new ArrayList<>(field(first.path("content"), "id"));
		seen.addAll(field(second.path("content"), "id"));
		assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(first.path("content").get(0).path("nextAction").path("type").asText()).isEqualTo("CALL");
	}

	@Test
	void filtersLeadsByRouteStatusAndOwner() throws Exception {
		String rep = freshRep();
		String nurture = createLead(leadBody(rep)).path("id").asText();
		Map<String, Object> outboundBody = leadBody(rep);
		outboundBody.put("route", "OUTBOUND");
		String outbound = createLead(outboundBody).path("id").asText();
		JsonNode toClose = createLead(leadBody(rep));
		complete(toClose.path("nextAction").path("id").asText(), Map.of("outcome", "DISQUALIFIED"), as(rep))
			.expectStatus(200);
		String closed = toClose.path("id").asText();
		String otherOwner = createLead(leadBody(freshRep())).path("id").asText();

		assertThat(listIds("owner=" + rep)).containsExactlyInAnyOrder(nurture, outbound, closed);
		assertThat(listIds("owner=" + rep + "&route=OUTBOUND")).containsExactly(outbound);
		assertThat(listIds("owner=" + rep + "&status=CLOSED")).containsExactly(closed);
		assertThat(listIds("owner=" + rep + "&status=ACTIVE")).containsExactlyInAnyOrder(nurture, outbound);
		assertThat(listIds("owner=" + rep + "&route=NURTURE&status=ACTIVE")).containsExactly(nurture);
		assertThat(listIds("owner=" + rep)).doesNotContain(otherOwner);
		JsonNode page = get("/api/leads?route=OUTBOUND&size=200", as("manager")).expectStatus(200).json();
		assertThat(field(page.path("content"), "route")).containsOnly("OUTBOUND");
	}

	@Test
	void listsOnlyOwnLeadsForARep() throws Exception {
		String rep = freshRep();
		String own = createLead(leadBody(rep)).path("id").asText();
		createLead(leadBody("rep1"));

		JsonNode page = get("/api/leads?size=200", as(rep)).expectStatus(200).json();

		assertThat(field(page.path("content"), "id")).containsExactly(own);
		assertProblem(get("/api/leads?owner=rep1", as(rep)), 403);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "size=0, size", "size=201, size", "page=-1, page", "size=abc, size", "route=COLD, route",
			"status=OPEN, status" })
	void rejectsInvalidListParameters(String query, String field) throws Exception {
		Response response = get("/api/leads?" + query, as("manager"));

		assertProblem(response, 400);
		assertThat(field(response.json().path("errors"), "field")).contains(field);
	}

	@Test
	void acceptsLargestPageSize() throws Exception {
		JsonNode page = get("/api/leads?size=200", as("manager")).expectStatus(200).json();

		assertThat(page.path("size").asInt()).isEqualTo(200);
	}

	// ---------------------------------------------------------------------------------------------
	// GET /api/inbox
	// ---------------------------------------------------------------------------------------------

	@Test
	void showsRepOwnOpenActionsSortedByDueAt() throws Exception {
		String rep = freshRep();
		// 01:00Z is 10:00 Tokyo (due now); London's day starts at 09:00Z; New York's at 14:00Z.
		JsonNode newYork = createLead(leadBody(rep, "America/New_York"));
		JsonNode london = createLead(leadBody(rep, "Europe/London"));
		JsonNode tokyo = createLead(leadBody(rep, "Asia/Tokyo"));
		createLead(leadBody("rep1"));

		JsonNode inbox = get("/api/inbox", as(rep)).expectStatus(200).json();

		assertThat(field(inbox, "leadId")).containsExactly(tokyo.path("id").asText(), london.path("id").asText(),
				newYork.path("id").asText());
		assertThat(field(inbox, "dueAt")).containsExactly("2026-12-02T01:00:00Z", "2026-12-02T09:00:00Z",
				"2026-12-02T14:00:00Z");
		JsonNode item = inbox.get(0);
		assertThat(item.path("id").asText()).isEqualTo(tokyo.path("nextAction").path("id").asText());
		assertThat(item.path("company").asText()).isEqualTo(tokyo.path("company").asText());
		assertThat(item.path("contactName").asText()).isEqualTo(tokyo.path("contactName").asText());
		assertThat(item.path("type").asText()).isEqualTo("CALL");
		assertThat(item.path("route").asText()).isEqualTo("NURTURE");
		assertThat(item.path("assignee").asText()).isEqualTo(rep);
		assertThat(item.path("overdue").isBoolean()).isTrue();
		assertThat(item.path("overdue").asBoolean()).isFalse();
	}

	@Test
	void filtersInboxByDueWindow() throws Exception {
		String rep = freshRep();
		String tokyo = createLead(leadBody(rep, "Asia/Tokyo")).path("id").asText();
		String london = createLead(leadBody(rep, "Europe/London")).path("id").asText();
		String newYork = createLead(leadBody(rep, "America/New_York")).path("id").asText();
		JsonNode friday = createLead(leadBody(rep, "Asia/Tokyo"));
		complete(friday.path("nextAction").path("id").asText(),
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", "2026-12-04T01:00:00Z")), as(rep))
			.expectStatus(200);
		// 19:00 in Tokyo, still Wednesday: Tokyo's and London's calls are late, New York's is not due yet.
		ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-12-02T10:00:00Z")));

		JsonNode overdue = get("/api/inbox?due=overdue", as(rep)).expectStatus(200).json();
		JsonNode today = get("/api/inbox?due=today", as(rep)).expectStatus(200).json();
		JsonNode all = get("/api/inbox?due=all", as(rep)).expectStatus(200).json();

		assertThat(field(overdue, "leadId")).containsExactly(tokyo, london);
		assertThat(field(overdue, "overdue")).containsOnly("true");
		assertThat(field(today, "leadId")).containsExactly(tokyo, london, newYork);
		assertThat(field(today, "overdue")).containsExactly("true", "true", "false");
		assertThat(field(all, "leadId")).containsExactly(tokyo, london, newYork, friday.path("id").asText());
	}

	@Test
	void rejectsInvalidDueWindow() throws Exception {
		Response response = get("/api/inbox?due=tomorrow", as("rep1"));

		assertProblem(response, 400);
		assertThat(field(response.json().path("errors"), "field")).containsExactly("due");
	}

	@Test
	void letsManagerSeeAnotherRepsInbox() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));

		JsonNode inbox = get("/api/inbox?assignee=" + rep, as("manager")).expectStatus(200).json();

		assertThat(field(inbox, "id")).containsExactly(lead.path("nextAction").path("id").asText());
		assertThat(field(inbox, "assignee")).containsExactly(rep);
	}

	@Test
	void forbidsRepToSeeAnotherRepsInbox() throws Exception {
		assertProblem(get("/api/inbox?assignee=rep2", as("rep1")), 403);
	}

	@Test
	void forbidsMarketingToSeeAnInbox() throws Exception {
		assertProblem(get("/api/inbox", as("marketing")), 403);
	}

	// ---------------------------------------------------------------------------------------------
	// POST /api/next-actions/{id}/complete
	// ---------------------------------------------------------------------------------------------

	@Test
	void completesContactedCallWithHearingAndOpensExactlyOneNewAction() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		Map<String, Object> hearing = new LinkedHashMap<>();
		hearing.put("budget", "500万円");
		hearing.put("timeline", "来期");
		hearing.put("decisionMaker", "部長");
		hearing.put("competitors", "");

		Response response = complete(actionId,
				Map.of("outcome", "CONTACTED", "hearing", hearing, "note", "interested in the March seminar"), as(rep));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json().path("lead");
		assertThat(after.path("id").asText()).isEqualTo(id);
		assertThat(after.path("status").asText()).isEqualTo("ACTIVE");
		assertThat(Instant.parse(after.path("lastTouchAt").asText())).isEqualTo(NOW);
		JsonNode next = after.path("nextAction");
		assertThat(next.path("id").asText()).isNotBlank().isNotEqualTo(actionId);
		assertThat(next.path("assignee").asText()).isEqualTo(rep);
		assertThat(instant(next, "dueAt")).isAfter(NOW);
		assertThat(actionStatus(actionId)).isEqualTo("DONE");
		assertThat(openActionIds(id)).containsExactly(next.path("id").asText());
		// Three non-empty hearing items: the nurture cadence calls again, so the next action is a user task.
		assertThat(next.path("type").asText()).isEqualTo("CALL");
		List<Task> open = openTasks(id);
		assertThat(open).hasSize(1);
		assertThat(open.get(0).getAssignee()).isEqualTo(rep);
		assertThat(jdbc.queryForObject("SELECT task_id FROM lf_next_action WHERE id = ?", String.class,
				next.path("id").asText())).isEqualTo(open.get(0).getId());
		assertThat(jdbc.queryForObject("SELECT hearing_items FROM lf_lead WHERE id = ?", Integer.class, id)).isEqualTo(3);
		JsonNode completed = getLead(id, as(rep)).path("history").get(1);
		assertThat(completed.path("outcome").asText()).isEqualTo("CONTACTED");
		assertThat(completed.path("hearing").path("budget").asText()).isEqualTo("500万円");
	}

	@Test
	void letsManagerCompleteAnyonesAction() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String actionId = lead.path("nextAction").path("id").asText();

		Response response = complete(actionId, Map.of("outcome", "NO_ANSWER"), as("manager"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(actionStatus(actionId)).isEqualTo("DONE");
		assertThat(openActionIds(lead.path("id").asText())).hasSize(1).doesNotContain(actionId);
	}

	@Test
	void forbidsCompletingSomeoneElsesAction() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		Snapshot before = snapshot(id);

		Response response = complete(actionId, Map.of("outcome", "CONTACTED"), as("rep2"));

		assertProblem(response, 403);
		assertThat(actionStatus(actionId)).isEqualTo("OPEN");
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void someoneElsesFinishedActionIsStillForbiddenNotAConflict() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String actionId = lead.path("nextAction").path("id").asText();
		complete(actionId, Map.of("outcome", "NO_ANSWER"), as(rep)).expectStatus(200);

		assertProblem(complete(actionId, Map.of("outcome", "NO_ANSWER"), as("rep2")), 403);
		assertProblem(complete(actionId, Map.of("outcome", "NO_ANSWER"), as(rep)), 409);
		assertProblem(complete(actionId, Map.of("outcome", "NO_ANSWER"), as("manager")), 409);
	}

	@Test
	void leadWithoutPhoneIsWorkedByEmailAndLeadWithoutEmailByPhone() throws Exception {
		String rep = freshRep();
		JsonNode byEmail = createLeadWithout("phone", rep);
		// The table says CALL first; a lead without a phone number gets the rep's individual email instead.
		assertThat(byEmail.path("nextAction").path("type").asText()).isEqualTo("EMAIL");
		assertThat(instant(byEmail.path("nextAction"), "dueAt")).isEqualTo(NOW);

		JsonNode byPhone = createLeadWithout("email", rep);
		assertThat(byPhone.path("nextAction").path("type").asText()).isEqualTo("CALL");
		// CONTACTED with few hearing items: the table sends content, which needs an email address; a call instead.
		JsonNode after = complete(byPhone.path("nextAction").path("id").asText(),
				Map.of("outcome", "CONTACTED", "hearing", Map.of("budget", "未定")), as(rep))
			.expectStatus(200)
			.json()
			.path("lead");
		assertThat(after.path("nextAction").path("type").asText()).isEqualTo("CALL");
		assertThat(instant(after.path("nextAction"), "dueAt")).isAfter(NOW.plus(Duration.ofDays(6)));
	}

	@Test
	void rejectsAChosenNextActionTheLeadCannotBeReachedBy() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLeadWithout("phone", rep);
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		Snapshot before = snapshot(id);
		// Wednesday 10:00 in Tokyo a week later: a working time, so only the type is wrong.
		Response response = complete(actionId, Map.of("outcome", "SENT", "next",
				Map.of("type", "CALL", "dueAt", "2026-12-09T01:00:00Z")), as(rep));

		assertProblem(response, 400);
		assertThat(field(response.json().path("errors"), "field")).contains("next.type");
		assertThat(response.json().path("detail").asText()).contains("no phone number");
		assertThat(actionStatus(actionId)).isEqualTo("OPEN");
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void acceptsAnEmptyEmailAsNotGivenWhenThereIsAPhone() throws Exception {
		Map<String, Object> body = leadBody(freshRep());
		body.put("email", "");

		JsonNode lead = createLead(body);

		assertThat(lead.path("email").isNull()).isTrue();
		assertThat(lead.path("nextAction").path("type").asText()).isEqualTo("CALL");
	}

	@Test
	void rejectsCompletingAnAlreadyCompletedAction() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		complete(actionId, Map.of("outcome", "NO_ANSWER"), as(rep)).expectStatus(200);
		Snapshot before = snapshot(id);

		Response again = complete(actionId, Map.of("outcome", "NO_ANSWER"), as(rep));

		assertProblem(again, 409);
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void rejectsOutcomeNotValidForTheActionType() throws Exception {
		assertCompletionRejected(Map.of("outcome", "SENT"), "outcome");
	}

	@Test
	void rejectsUnknownOutcome() throws Exception {
		assertCompletionRejected(Map.of("outcome", "MAYBE"), "outcome");
	}

	@Test
	void requiresMeetingAtWhenMeetingIsSet() throws Exception {
		assertCompletionRejected(Map.of("outcome", "MEETING_SET"), "meetingAt");
	}

	@Test
	void rejectsMeetingAtInThePast() throws Exception {
		assertCompletionRejected(Map.of("outcome", "MEETING_SET", "meetingAt", "2026-12-01T05:00:00Z"), "meetingAt");
	}

	@Test
	void requiresNextForCallback() throws Exception {
		assertCompletionRejected(Map.of("outcome", "CALLBACK"), "next");
	}

	@Test
	void rejectsCallbackAtNightInTheLeadsTimeZone() throws Exception {
		// 2026-12-03T18:00:00Z is Friday 03:00 in Tokyo.
		Response response = assertCompletionRejected(
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", "2026-12-03T18:00:00Z")), "next.dueAt");

		assertThat(response.json().path("detail").asText()).contains("outside the business calendar")
			.contains("Asia/Tokyo");
	}

	@Test
	void rejectsCallbackOnASaturday() throws Exception {
		// 2026-12-05T01:00:00Z is Saturday 10:00 in Tokyo.
		Response response = assertCompletionRejected(
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", "2026-12-05T01:00:00Z")), "next.dueAt");

		assertThat(response.json().path("detail").asText()).contains("outside the business calendar");
	}

	@Test
	void rejectsCallbackOnAJapaneseHoliday() throws Exception {
		// 2027-01-11T01:00:00Z is Monday 10:00 in Tokyo, Coming of Age Day.
		Response response = assertCompletionRejected(
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", "2027-01-11T01:00:00Z")), "next.dueAt");

		assertThat(response.json().path("detail").asText()).contains("outside the business calendar");
	}

	@Test
	void rejectsCallbackThatIsNotACall() throws Exception {
		assertCompletionRejected(
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "EMAIL", "dueAt", "2026-12-03T05:30:00Z")), "next.type");
	}

	@Test
	void rejectsMeetingAsAnOverride() throws Exception {
		assertCompletionRejected(
				Map.of("outcome", "CONTACTED", "next", Map.of("type", "MEETING", "dueAt", "2026-12-03T05:30:00Z")),
				"next.type");
	}

	@Test
	void judgesCallbackTimeInTheLeadsTimeZone() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep, "America/New_York"));
		// Thursday 10:00 in New York is Friday 00:00 in Tokyo: a working time for this lead.
		Instant callback = Instant.parse("2026-12-03T15:00:00Z");

		Response response = complete(lead.path("nextAction").path("id").asText(),
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", callback.toString())), as(rep));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(instant(response.json().path("lead").path("nextAction"), "dueAt")).isEqualTo(callback);
	}

	@Test
	void rejectsCallbackInThePast() throws Exception {
		assertCompletionRejected(
				Map.of("outcome", "CALLBACK", "next", Map.of("type", "CALL", "dueAt", "2026-12-01T01:00:00Z")), "next.dueAt");
	}

	@Test
	void schedulesCallbackExactlyAtTheChosenTime() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		// Thursday 14:30 in Tokyo.
		Instant callback = Instant.parse("2026-12-03T05:30:00Z");

		Response response = complete(actionId, Map.of("outcome", "CALLBACK", "note", "call me tomorrow afternoon",
				"next", Map.of("type", "CALL", "dueAt", callback.toString())), as(rep));

		assertThat(response.status()).isEqualTo(200);
		JsonNode next = response.json().path("lead").path("nextAction");
		assertThat(next.path("id").asText()).isNotEqualTo(actionId);
		assertThat(next.path("type").asText()).isEqualTo("CALL");
		assertThat(instant(next, "dueAt")).isEqualTo(callback);
		assertThat(next.path("assignee").asText()).isEqualTo(rep);
		assertThat(openActionIds(id)).containsExactly(next.path("id").asText());
		assertThat(openTasks(id)).hasSize(1);
		assertThat(openTasks(id).get(0).getDueDate().toInstant()).isEqualTo(callback);
	}

	@Test
	void overridesTheGeneratedNextAction() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		// Friday 11:00 in Tokyo.
		Instant chosen = Instant.parse("2026-12-04T02:00:00Z");

		Response response = complete(actionId,
				Map.of("outcome", "CONTACTED", "next", Map.of("type", "EMAIL", "dueAt", chosen.toString())), as(rep));

		assertThat(response.status()).isEqualTo(200);
		JsonNode next = response.json().path("lead").path("nextAction");
		assertThat(next.path("type").asText()).isEqualTo("EMAIL");
		assertThat(instant(next, "dueAt")).isEqualTo(chosen);
		assertThat(next.path("assignee").asText()).isEqualTo(rep);
		assertThat(openActionIds(id)).containsExactly(next.path("id").asText());
		assertThat(openTasks(id)).hasSize(1);
	}

	@Test
	void handsLeadToSalesWhenMeetingIsSet() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		Instant meetingAt = Instant.parse("2026-12-08T05:00:00Z");

		JsonNode after = setMeeting(lead, rep, meetingAt);

		assertThat(after.path("status").asText()).isEqualTo("HANDED_OFF");
		JsonNode meeting = after.path("nextAction");
		assertThat(meeting.path("type").asText()).isEqualTo("MEETING");
		assertThat(meeting.path("candidateGroup").asText()).isEqualTo("sales");
		assertThat(meeting.path("assignee").isNull()).isTrue();
		assertThat(instant(meeting, "dueAt")).isEqualTo(meetingAt);
		assertThat(openActionIds(id)).containsExactly(meeting.path("id").asText());
		List<Task> open = openTasks(id);
		assertThat(open).hasSize(1);
		assertThat(tasks.getIdentityLinksForTask(open.get(0).getId())).anyMatch(link -> "sales".equals(link.getGroupId()));

		JsonNode item = findInInbox("sales1", meeting.path("id").asText());
		assertThat(item).as("the meeting is in sales1's inbox").isNotNull();
		assertThat(item.path("leadId").asText()).isEqualTo(id);
		assertThat(item.path("type").asText()).isEqualTo("MEETING");
		assertThat(field(get("/api/inbox", as(rep)).expectStatus(200).json(), "leadId")).doesNotContain(id);
		assertThat(get("/api/leads/" + id, as("sales1")).status()).isEqualTo(200);
		assertThat(types(getLead(id, as("manager")).path("history"))).containsExactly("CREATED", "ACTION_COMPLETED",
				"HANDED_OFF");
	}

	@Test
	void forbidsRepToCompleteTheSalesMeeting() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		JsonNode after = setMeeting(lead, rep, Instant.parse("2026-12-08T05:00:00Z"));
		String id = lead.path("id").asText();
		Snapshot before = snapshot(id);

		Response response = complete(after.path("nextAction").path("id").asText(), Map.of("outcome", "OPPORTUNITY"),
				as(rep));

		assertProblem(response, 403);
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void marksOpportunityWhenSalesRecordsIt() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		Instant meetingAt = Instant.parse("2026-12-08T05:00:00Z");
		String meetingId = setMeeting(lead, rep, meetingAt).path("nextAction").path("id").asText();
		ClockUtil.setCurrentTime(Date.from(meetingAt.plus(Duration.ofHours(2))));

		Response response = complete(meetingId, Map.of("outcome", "OPPORTUNITY", "note", "proposal next week"),
				as("sales1"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json().path("lead");
		assertThat(after.path("status").asText()).isEqualTo("OPPORTUNITY");
		assertThat(after.has("nextAction")).isTrue();
		assertThat(after.path("nextAction").isNull()).isTrue();
		assertThat(openActionIds(id)).isEmpty();
		assertThat(openTasks(id)).isEmpty();
		assertThat(runningProcesses(id)).isZero();
		assertThat(actionStatus(meetingId)).isEqualTo("DONE");
		assertThat(types(getLead(id, as("manager")).path("history"))).endsWith("MEETING_HELD", "OPPORTUNITY");
	}

	@Test
	void returnsLeadToNurtureWhenMeetingYieldsNoOpportunity() throws Exception {
		String rep = freshRep();
		Map<String, Object> body = leadBody(rep);
		body.put("route", "UPSELL");
		JsonNode lead = createLead(body);
		String id = lead.path("id").asText();
		Instant meetingAt = Instant.parse("2026-12-08T05:00:00Z");
		String meetingId = setMeeting(lead, rep, meetingAt).path("nextAction").path("id").asText();
		Instant heldAt = meetingAt.plus(Duration.ofHours(2));
		ClockUtil.setCurrentTime(Date.from(heldAt));

		Response response = complete(meetingId, Map.of("outcome", "NO_OPPORTUNITY"), as("sales1"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json().path("lead");
		assertThat(after.path("status").asText()).isEqualTo("ACTIVE");
		assertThat(after.path("route").asText()).isEqualTo("NURTURE");
		JsonNode next = after.path("nextAction");
		assertThat(next.path("id").asText()).isNotBlank().isNotEqualTo(meetingId);
		assertThat(next.path("assignee").asText()).isEqualTo(rep);
		assertThat(next.path("type").asText()).isIn("CALL", "EMAIL", "CONTENT");
		assertThat(instant(next, "dueAt")).isAfter(heldAt);
		assertWorkingTime(instant(next, "dueAt"), TOKYO);
		assertThat(openActionIds(id)).containsExactly(next.path("id").asText());
		assertThat(leadProcesses(id)).isEqualTo(1);
	}

	@Test
	void closesLeadWhenDisqualified() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();

		Response response = complete(lead.path("nextAction").path("id").asText(),
				Map.of("outcome", "DISQUALIFIED", "note", "student, no budget"), as(rep));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json().path("lead");
		assertThat(after.path("status").asText()).isEqualTo("CLOSED");
		assertThat(after.path("doNotContact").asBoolean()).isFalse();
		assertThat(after.path("nextAction").isNull()).isTrue();
		assertThat(openActionIds(id)).isEmpty();
		assertThat(openTasks(id)).isEmpty();
		assertThat(runningProcesses(id)).isZero();
	}

	@Test
	void closesLeadAsDoNotContactOnThatOutcome() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();

		Response response = complete(lead.path("nextAction").path("id").asText(), Map.of("outcome", "DO_NOT_CONTACT"),
				as(rep));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json().path("lead");
		assertThat(after.path("status").asText()).isEqualTo("CLOSED");
		assertThat(after.path("doNotContact").asBoolean()).isTrue();
		assertThat(after.path("nextAction").isNull()).isTrue();
		assertThat(openActionIds(id)).isEmpty();
		assertThat(runningProcesses(id)).isZero();
	}

	@Test
	void returnsNotFoundForUnknownAction() throws Exception {
		assertProblem(complete(UUID.randomUUID().toString(), Map.of("outcome", "NO_ANSWER"), as("rep1")), 404);
	}

	// ---------------------------------------------------------------------------------------------
	// POST /api/leads/{id}/events
	// ---------------------------------------------------------------------------------------------

	@Test
	void recyclesActiveLeadWhenDealIsLost() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String oldAction = lead.path("nextAction").path("id").asText();

		Response response = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR", "note", "went with X"),
				as("manager"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json();
		assertThat(after.path("route").asText()).isEqualTo("RECYCLE");
		assertThat(after.path("status").asText()).isEqualTo("ACTIVE");
		assertRevisitInSixMonths(after.path("nextAction"), rep);
		assertThat(actionStatus(oldAction)).isEqualTo("CANCELLED");
		assertThat(openActionIds(id)).containsExactly(after.path("nextAction").path("id").asText());
		assertThat(openTasks(id)).hasSize(1);
		assertThat(leadProcesses(id)).isEqualTo(1);
		assertThat(types(getLead(id, as("manager")).path("history"))).contains("DEAL_LOST", "ROUTE_CHANGED");
	}

	@Test
	void aRetriedDealLostChangesNothingButADifferentReasonStillCounts() throws Exception {
		String rep = freshRep();
		String id = createLead(leadBody(rep)).path("id").asText();
		JsonNode first = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR"), as("manager")).expectStatus(200).json();
		int events = getLead(id, as("manager")).path("history").size();

		JsonNode retry = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR"), as("manager")).expectStatus(200).json();

		assertThat(retry.path("nextAction").path("id").asText()).isEqualTo(first.path("nextAction").path("id").asText());
		assertThat(retry.path("nextAction").path("dueAt").asText()).isEqualTo(first.path("nextAction").path("dueAt").asText());
		assertThat(getLead(id, as("manager")).path("history").size()).isEqualTo(events);
		assertThat(openActionIds(id)).hasSize(1);

		// Another reason is news (the revisit rule differs): recorded, and the re-approach follows it.
		JsonNode pending = event(id, Map.of("type", "DEAL_LOST", "reason", "PENDING"), as("manager")).expectStatus(200).json();
		assertThat(pending.path("nextAction").path("id").asText()).isNotEqualTo(first.path("nextAction").path("id").asText());
		assertThat(types(getLead(id, as("manager")).path("history"))).filteredOn("DEAL_LOST"::equals).hasSize(2);
		assertThat(openActionIds(id)).hasSize(1);
	}

	@Test
	void recyclesOpportunityWhenDealIsLostWithANewProcess() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String meetingId = setMeeting(lead, rep, Instant.parse("2026-12-03T05:00:00Z")).path("nextAction").path("id")
			.asText();
		complete(meetingId, Map.of("outcome", "OPPORTUNITY"), as("sales1")).expectStatus(200);
		assertThat(runningProcesses(id)).isZero();

		Response response = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR"), as("sales1"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json();
		assertThat(after.path("route").asText()).isEqualTo("RECYCLE");
		assertThat(after.path("status").asText()).isEqualTo("ACTIVE");
		assertRevisitInSixMonths(after.path("nextAction"), rep);
		assertThat(leadProcesses(id)).isEqualTo(1);
		assertThat(history.createHistoricProcessInstanceQuery().processDefinitionKey("lead").processInstanceBusinessKey(id)
			.count()).isEqualTo(2);
		assertThat(openActionIds(id)).containsExactly(after.path("nextAction").path("id").asText());
		assertThat(openTasks(id)).hasSize(1);
	}

	@Test
	void recyclesHandedOffLeadWhenDealIsLost() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String meetingId = setMeeting(lead, rep, Instant.parse("2026-12-08T05:00:00Z")).path("nextAction").path("id")
			.asText();

		Response response = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR"), as("sales1"));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode after = response.json();
		assertThat(after.path("route").asText()).isEqualTo("RECYCLE");
		assertThat(after.path("status").asText()).isEqualTo("ACTIVE");
		assertRevisitInSixMonths(after.path("nextAction"), rep);
		assertThat(actionStatus(meetingId)).isEqualTo("CANCELLED");
		assertThat(openActionIds(id)).containsExactly(after.path("nextAction").path("id").asText());
		List<Task> open = openTasks(id);
		assertThat(open).hasSize(1);
		assertThat(open.get(0).getAssignee()).isEqualTo(rep);
		assertThat(findInInbox("sales1", meetingId)).isNull();
	}

	@Test
	void rejectsParkedAsALossReason() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		Snapshot before = snapshot(id);

		Response response = event(id, Map.of("type", "DEAL_LOST", "reason", "PARKED"), as("manager"));

		assertProblem(response, 400);
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void rejectsDealLostWithoutReason() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		Snapshot before = snapshot(id);

		Response response = event(id, Map.of("type", "DEAL_LOST"), as("manager"));

		assertProblem(response, 400);
		assertThat(field(response.json().path("errors"), "field")).containsExactly("reason");
		assertThat(actionStatus(lead.path("nextAction").path("id").asText())).isEqualTo("OPEN");
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void rejectsUnknownEventType() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		Snapshot before = snapshot(id);

		Response response = event(id, Map.of("type", "WON"), as("manager"));

		assertProblem(response, 400);
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void closesLeadOnDoNotContactEvent() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();

		Response response = event(id, Map.of("type", "DO_NOT_CONTACT", "note", "asked by phone"), as("manager"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode after = response.json();
		assertThat(after.path("status").asText()).isEqualTo("CLOSED");
		assertThat(after.path("doNotContact").asBoolean()).isTrue();
		assertThat(after.path("nextAction").isNull()).isTrue();
		assertThat(openActionIds(id)).isEmpty();
		assertThat(actionStatus(lead.path("nextAction").path("id").asText())).isEqualTo("CANCELLED");
		assertThat(openTasks(id)).isEmpty();
		assertThat(runningProcesses(id)).isZero();
	}

	@Test
	void forbidsRepToReportLeadEvents() throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		Snapshot before = snapshot(id);

		Response response = event(id, Map.of("type", "DO_NOT_CONTACT"), as(rep));

		assertProblem(response, 403);
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void forbidsMarketingToReportLeadEvents() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		Snapshot before = snapshot(id);

		Response response = event(id, Map.of("type", "DEAL_LOST", "reason", "OTHER"), as("marketing"));

		assertProblem(response, 403);
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void treatsRepeatedDoNotContactAsDone() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		event(id, Map.of("type", "DO_NOT_CONTACT"), as("manager")).expectStatus(200);
		Snapshot before = snapshot(id);

		Response again = event(id, Map.of("type", "DO_NOT_CONTACT"), as("sales1"));

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().path("doNotContact").asBoolean()).isTrue();
		assertThat(snapshot(id)).isEqualTo(before);
	}

	@Test
	void rejectsDealLostOnDoNotContactLeadWithConflict() throws Exception {
		JsonNode lead = createLead(leadBody(freshRep()));
		String id = lead.path("id").asText();
		event(id, Map.of("type", "DO_NOT_CONTACT"), as("manager")).expectStatus(200);
		Snapshot before = snapshot(id);

		Response response = event(id, Map.of("type", "DEAL_LOST", "reason", "COMPETITOR"), as("manager"));

		assertProblem(response, 409);
		assertThat(snapshot(id)).isEqualTo(before);
		assertThat(leadProcesses(id)).isZero();
	}

	@Test
	void returnsNotFoundForEventOnUnknownLead() throws Exception {
		assertProblem(event(UUID.randomUUID().toString(), Map.of("type", "DO_NOT_CONTACT"), as("manager")), 404);
	}

	// ---------------------------------------------------------------------------------------------
	// Security
	// ---------------------------------------------------------------------------------------------

	@Test
	void rejectsRequestWithoutCredentials() throws Exception {
		Response response = anonymous("/api/leads");

		assertProblem(response, 401);
		assertThat(response.header(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
	}

	@Test
	void rejectsWrongPassword() throws Exception {
		// A fresh user: the identity service delays further logins of a user after a wrong password.
		Response response = get("/api/leads", httpBasic(freshRep(), "not-the-password"));

		assertProblem(response, 401);
		assertThat(response.header(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
	}

	@Test
	void forbidsRepToSubmitLeads() throws Exception {
		Map<String, Object> body = leadBody("rep1");
		Counts before = counts();

		Response response = postJson("/api/leads", body, as("rep1"));

		assertProblem(response, 403);
		assertThat(counts()).isEqualTo(before);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", Long.class,
				body.get("externalId"))).isZero();
	}

	@Test
	void rejectsEngineRestApiWithoutCredentials() throws Exception {
		MockHttpServletResponse response = engineRest(null);

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
	}

	@Test
	void forbidsEngineRestApiToReps() throws Exception {
		assertThat(engineRest(as("rep1")).getStatus()).isEqualTo(403);
	}

	@Test
	void servesEngineRestApiToAdmins() throws Exception {
		MockHttpServletResponse response = engineRest(as("admin"));

		assertThat(response.getStatus()).as(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
		JsonNode definitions = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
		assertThat(field(definitions, "key")).contains("lead", "nurture", "sales-handoff");
	}

	@Test
	void servesHealthWithoutCredentials() throws Exception {
		Response response = anonymous("/actuator/health");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().has("components")).as("no details for anonymous callers").isFalse();
		// Every component is UP except mail, which is DEGRADED while the suite's SMTP server is stopped (it is
		// started by the mail tests only; MailContract checks mail's health itself): the root follows mail.
		Response full = perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/actuator/health")
			.with(as("manager")));
		JsonNode components = full.json().path("components");
		assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
		components.fields().forEachRemaining(component -> {
			if (!component.getKey().equals("mail")) {
				assertThat(component.getValue().path("status").asText()).as(component.getKey()).isEqualTo("UP");
			}
		});
		String mail = components.path("mail").path("status").asText();
		assertThat(mail).isIn("UP", "DEGRADED");
		assertThat(response.json().path("status").asText()).isEqualTo(mail);
	}

	// ---------------------------------------------------------------------------------------------
	// helpers
	// ---------------------------------------------------------------------------------------------

	static RequestPostProcessor as(String user) {
		return httpBasic(user, user);
	}

	static String unique() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	/**
	 * The first lead of a cold JVM loads the process models and decision tables; on a busy machine
	 * that can outlast the database's lock timeout for the requests queued behind it.
	 */
	void warmUp(String rep) throws Exception {
		createLead(leadBody(rep));
	}

	/** Runs {@code call} on {@code threads} threads released at once; returns every result. */
	static <T> List<T> concurrently(int threads, java.util.concurrent.Callable<T> call) throws Exception {
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					return call.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (java.util.concurrent.Future<T> future : futures) {
				results.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A rep nobody else gives work to (identity user ids must be alphanumeric). */
	String freshRep() {
		String id = "rep" + unique();
		User user = identity.newUser(id);
		user.setFirstName("Test");
		user.setLastName("Rep " + id);
		user.setEmail(id + "@leadflow.example");
		user.setPassword(id);
		identity.saveUser(user);
		identity.createMembership(id, "reps");
		return id;
	}

	Map<String, Object> leadBody(String owner) {
		return leadBody(owner, "Asia/Tokyo");
	}

	Map<String, Object> leadBody(String owner, String timeZone) {
		String key = unique();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("externalId", "api-" + key);
		body.put("route", "NURTURE");
		body.put("company", "Sample " + key + " K.K.");
		body.put("contactName", "Taro " + key);
		body.put("email", "taro." + key + "@example.co.jp");
		body.put("phone", "+81-3-1234-5678");
		body.put("timeZone", timeZone);
		body.put("source", "EXHIBITION");
		if (owner != null) {
			body.put("owner", owner);
		}
		body.put("note", "booth visitor, asked about pricing");
		return body;
	}

	JsonNode createLead(Map<String, Object> body) throws Exception {
		return postJson("/api/leads", body, as("marketing")).expectStatus(201).json();
	}

	/** A lead of the rep handed in without its email or its phone. */
	JsonNode createLeadWithout(String contactField, String rep) throws Exception {
		Map<String, Object> body = leadBody(rep);
		body.remove(contactField);
		return createLead(body);
	}

	JsonNode getLead(String id, RequestPostProcessor user) throws Exception {
		return get("/api/leads/" + id, user).expectStatus(200).json();
	}

	JsonNode setMeeting(JsonNode lead, String rep, Instant meetingAt) throws Exception {
		return complete(lead.path("nextAction").path("id").asText(),
				Map.of("outcome", "MEETING_SET", "meetingAt", meetingAt.toString(), "note", "demo with the team"), as(rep))
			.expectStatus(200)
			.json()
			.path("lead");
	}

	Response complete(String actionId, Map<String, ?> body, RequestPostProcessor user) throws Exception {
		return postJson("/api/next-actions/" + actionId + "/complete", body, user);
	}

	Response event(String leadId, Map<String, ?> body, RequestPostProcessor user) throws Exception {
		return postJson("/api/leads/" + leadId + "/events", body, user);
	}

	Response postJson(String url, Object body, RequestPostProcessor user) throws Exception {
		String content = body instanceof String text ? text : json.writeValueAsString(body);
		return perform(post(url).with(user).contentType(MediaType.APPLICATION_JSON).characterEncoding(StandardCharsets.UTF_8)
			.content(content.getBytes(StandardCharsets.UTF_8)));
	}

	Response get(String url, RequestPostProcessor user) throws Exception {
		return perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(url).with(user));
	}

	Response anonymous(String url) throws Exception {
		return perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(url));
	}

	Response perform(MockHttpServletRequestBuilder request) throws Exception {
		return new Response(mvc.perform(request.accept(MediaType.APPLICATION_JSON, PROBLEM)).andReturn().getResponse());
	}

	List<String> listIds(String query) throws Exception {
		return field(get("/api/leads?size=200&" + query, as("manager")).expectStatus(200).json().path("content"), "id");
	}

	/** Pages through a user's whole inbox for one action: the shared database may hold many. */
	JsonNode findInInbox(String user, String actionId) throws Exception {
		for (int page = 0; page < 100; page++) {
			JsonNode items = get("/api/inbox?due=all&size=500&page=" + page, as(user)).expectStatus(200).json();
			for (JsonNode item : items) {
				if (actionId.equals(item.path("id").asText())) {
					return item;
				}
			}
			if (items.size() < 500) {
				return null;
			}
		}
		return null;
	}

	/** The posted lead is refused with a 400 problem naming {@code field}, and nothing at all was stored. */
	void assertRejectedAndNothingStored(Object body, String field) throws Exception {
		Counts before = counts();

		Response response = postJson("/api/leads", body, as("marketing"));

		assertProblem(response, 400);
		JsonNode errors = response.json().path("errors");
		assertThat(errors.isArray()).as("errors array in %s", response.body()).isTrue();
		assertThat(field(errors, "field")).as("fields in %s", response.body()).contains(field);
		for (JsonNode error : errors) {
			assertThat(error.path("message").asText()).as("message of %s", error).isNotBlank();
		}
		assertThat(counts()).isEqualTo(before);
		if (body instanceof Map<?, ?> map && map.get("externalId") instanceof String externalId) {
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", Long.class, externalId))
				.isZero();
		}
	}

	/** Completing a fresh lead's first action with {@code body} is refused (400 on {@code field}); nothing changes. */
	Response assertCompletionRejected(Map<String, ?> body, String field) throws Exception {
		String rep = freshRep();
		JsonNode lead = createLead(leadBody(rep));
		String id = lead.path("id").asText();
		String actionId = lead.path("nextAction").path("id").asText();
		Snapshot before = snapshot(id);

		Response response = complete(actionId, body, as(rep));

		assertProblem(response, 400);
		assertThat(field(response.json().path("errors"), "field")).as(response.body()).contains(field);
		assertThat(actionStatus(actionId)).isEqualTo("OPEN");
		assertThat(snapshot(id)).isEqualTo(before);
		return response;
	}

	void assertProblem(Response response, int status) throws Exception {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.header(HttpHeaders.CONTENT_TYPE)).as("content type of %s", response.body())
			.startsWith(PROBLEM.toString());
		JsonNode problem = response.json();
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asText()).as("detail of %s", response.body()).isNotBlank();
	}

	void assertRevisitInSixMonths(JsonNode next, String rep) {
		assertThat(next.path("type").asText()).isEqualTo("CALL");
		assertThat(next.path("assignee").asText()).isEqualTo(rep);
		Instant due = instant(next, "dueAt");
		Instant sixMonths = NOW.atZone(TOKYO).plus(Period.ofMonths(6)).toInstant();
		assertThat(due).isBetween(sixMonths, sixMonths.plus(Duration.ofDays(7)));
		assertWorkingTime(due, TOKYO);
	}

	static void assertWorkingTime(Instant at, ZoneId zone) {
		ZonedDateTime local = at.atZone(zone);
		assertThat(local.getDayOfWeek()).as("day of %s", local).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
		assertThat(JapaneseHolidays.isHoliday(local.toLocalDate())).as("holiday %s", local).isFalse();
		assertThat(local.toLocalTime()).as("time of %s", local).isBetween(LocalTime.of(9, 0), LocalTime.of(17, 59, 59));
	}

	static Instant instant(JsonNode node, String field) {
		assertThat(node.path(field).isTextual()).as("%s in %s", field, node).isTrue();
		return Instant.parse(node.path(field).asText());
	}

	static List<String> field(JsonNode array, String name) {
		return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(name).asText()).toList();
	}

	static List<String> types(JsonNode history) {
		return field(history, "type");
	}

	String actionStatus(String actionId) {
		return jdbc.queryForObject("SELECT status FROM lf_next_action WHERE id = ?", String.class, actionId);
	}

	List<String> openActionIds(String leadId) {
		return jdbc.queryForList("SELECT id FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN' ORDER BY id",
				String.class, leadId);
	}

	/** Open tasks of the lead's process tree (route processes inherit the business key). */
	List<Task> openTasks(String leadId) {
		return tasks.createTaskQuery().processInstanceBusinessKey(leadId).list();
	}

	long leadProcesses(String leadId) {
		return runtime.createProcessInstanceQuery().processDefinitionKey("lead").processInstanceBusinessKey(leadId).count();
	}

	long runningProcesses(String leadId) {
		return runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadId).count();
	}

	long allLeadProcesses() {
		return runtime.createProcessInstanceQuery().processDefinitionKey("lead").count();
	}

	long count(String table) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
	}

	/** Everything an intake writes. */
	record Counts(long leads, long events, long actions, long leadProcesses) {
	}

	Counts counts() {
		return new Counts(count("lf_lead"), count("lf_lead_event"), count("lf_next_action"), allLeadProcesses());
	}

	/** What a refused request on one lead must leave untouched. */
	record Snapshot(String status, String route, boolean doNotContact, List<String> openActions, long events,
			List<String> taskIds, long processes) {
	}

	Snapshot snapshot(String leadId) {
		Map<String, Object> lead = jdbc.queryForObject(
				"SELECT status, route, do_not_contact FROM lf_lead WHERE id = ?", (rs, n) -> Map.of("status",
						rs.getString("status"), "route", rs.getString("route"), "dnc", rs.getBoolean("do_not_contact")),
				leadId);
		long events = jdbc.queryForObject("SELECT COUNT(*) FROM lf_lead_event WHERE lead_id = ?", Long.class, leadId);
		List<String> taskIds = openTasks(leadId).stream().map(Task::getId).sorted().toList();
		return new Snapshot((String) lead.get("status"), (String) lead.get("route"), (Boolean) lead.get("dnc"),
				openActionIds(leadId), events, taskIds, runningProcesses(leadId));
	}

	/**
	 * Calls GET /engine-rest/process-definition through the application's security filter chain
	 * and the Jersey servlet of the REST starter (MockMvc only reaches Spring MVC).
	 */
	MockHttpServletResponse engineRest(RequestPostProcessor user) throws Exception {
		Servlet jersey = engineRestServlet();
		MockHttpServletRequestBuilder builder = org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.get("/engine-rest/process-definition")
			.servletPath("/engine-rest")
			.accept(MediaType.APPLICATION_JSON);
		if (user != null) {
			builder = builder.with(user);
		}
		MockHttpServletRequest request = builder.postProcessRequest(builder.buildRequest(context.getServletContext()));
		MockHttpServletResponse response = new MockHttpServletResponse();
		new MockFilterChain(jersey, securityFilters).doFilter(request, response);
		return response;
	}

	private Servlet engineRestServlet() throws ServletException {
		Servlet servlet = context.getBeansOfType(ServletRegistrationBean.class)
			.values()
			.stream()
			.filter(registration -> registration.getUrlMappings().contains("/engine-rest/*"))
			.map(ServletRegistrationBean::getServlet)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no servlet registered for /engine-rest/*"));
		synchronized (servlet) {
			if (servlet.getServletConfig() == null) {
				servlet.init(new MockServletConfig(context.getServletContext(), "jersey"));
			}
		}
		return servlet;
	}

	/** A response read as text in UTF-8 (the API's encoding), with its JSON parsed on demand. */
	final class Response {

		private final MockHttpServletResponse response;

		Response(MockHttpServletResponse response) {
			this.response = response;
		}

		int status() {
			return response.getStatus();
		}

		String header(String name) {
			return response.getHeader(name);
		}

		String body() throws Exception {
			return response.getContentAsString(StandardCharsets.UTF_8);
		}

		JsonNode json() throws Exception {
			return json.readTree(body());
		}

		Response expectStatus(int status) throws Exception {
			assertThat(status()).as("status of %s", body()).isEqualTo(status);
			return this;
		}

	}

}
