package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Hostile input at every JSON endpoint, the CSV import and the query parameters of every GET:
 * broken and wrong JSON, huge and deeply nested bodies, unknown fields, injection strings, bad
 * bytes, control characters, impossible time zones and dates, absurd page sizes. Every answer
 * comes quickly, is below 500, is an RFC 9457 problem detail when it is a 4xx, and a refused
 * request stores nothing. Injection strings in otherwise valid input are stored as plain text,
 * echoed as they were sent and shown escaped on the pages.
 */
@LeadflowTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest extends LeadflowApiSupport {

	/** No request may take longer: a body the server chokes on must be refused, not worked through. */
	static final Duration QUICK = Duration.ofSeconds(10);

	static final String MARK = "\u2603MARK\u2603";

	static final int DEEP = 10_000;

	static final String SQL_OR = "' OR 1=1 --";

	static final String SQL_DROP = "\"; DROP TABLE lf_lead; --";

	static final String SCRIPT = "<script>alert(1)</script>";

	/** What the case must get. */
	enum Expect {

		/** A 4xx problem detail; nothing stored. */
		REFUSED,
		/** A 2xx: valid input whose strings are stored as plain text. */
		ACCEPTED,
		/** 200 with an empty result (an injection in a filter matches nothing). */
		EMPTY,
		/** 200: a filter value that names nobody, echoed as JSON text only. */
		OK,
		/** 403 as a problem detail: the value names someone else's data. */
		FORBIDDEN

	}

	/** Where a request goes: method, path (fresh targets made here), caller and a valid body. */
	record Target(String name, HttpMethod method, String user, Function<HostileInputTest, String> path,
			Function<HostileInputTest, Map<String, Object>> validBody, String textField) {
	}

	@FunctionalInterface
	interface Build {

		MockHttpServletRequestBuilder build(HostileInputTest test) throws Exception;

	}

	record Case(String target, String attack, String user, Build build, Expect expect) {

		@Override
		public String toString() {
			return target + " ← " + attack;
		}

	}

	/** Leads refused requests are aimed at; each target has its own so no case depends on another. */
	static final Map<String, String> FIXTURES = new java.util.concurrent.ConcurrentHashMap<>();

	@Autowired
	JdbcTemplate jdbcTemplate;

	String rep;

	@BeforeEach
	void aRepOfItsOwn() {
		rep = FIXTURES.computeIfAbsent("rep", key -> freshRepKept("hostile"));
	}

	/** A fresh rep that stays active for the whole class (the support retires fresh reps after each test). */
	private String freshRepKept(String prefix) {
		String id = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		org.camunda.bpm.engine.identity.User user = identityService.newUser(id);
		user.setFirstName(prefix);
		user.setLastName("Test");
		user.setPassword(id);
		identityService.saveUser(user);
		identityService.createMembership(id, Groups.REPS);
		return id;
	}

	String fixtureLead(String name) {
		return FIXTURES.computeIfAbsent("lead-" + name, key -> {
			try {
				return createLead("NURTURE", rep).get("id").asText();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	String fixtureAction(String name) {
		String leadId = fixtureLead(name);
		return FIXTURES.computeIfAbsent("action-" + name, key -> {
			try {
				return actionId(lead(leadId));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	/** An open EMAIL action of the class's rep (its first call completed with an EMAIL chosen as next). */
	String fixtureEmailAction() {
		return FIXTURES.computeIfAbsent("action-email", key -> {
			try {
				JsonNode lead = createLead("NURTURE", rep);
				JsonNode after = complete(actionId(lead), rep,
						Map.of("outcome", "NO_ANSWER", "next", Map.of("type", "EMAIL", "dueAt", nextWorkingTime().toString())));
				assertThat(actionType(after)).isEqualTo("EMAIL");
				return actionId(after);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	Instant nextWorkingTime() {
		return calendar.nextWorkingTime(Instant.now().plus(Duration.ofDays(3)), TOKYO);
	}

	// ------------------------------------------------------------------------------------ targets

	static final Target LEADS = new Target("POST /api/leads", HttpMethod.POST, MARKETING, t -> "/api/leads",
			t -> leadBody("NURTURE", t.rep), "company");

	static final Target EVENTS = new Target("POST /api/leads/{id}/events", HttpMethod.POST, SALES,
			t -> "/api/leads/" + t.fixtureLead("events"), t -> body("type", "DEAL_LOST", "reason", "PENDING", "note", "n"),
			"note");

	static final Target COMPLETE = new Target("POST /api/next-actions/{id}/complete", HttpMethod.POST, "rep",
			t -> "/api/next-actions/" + t.fixtureAction("complete") + "/complete",
			t -> body("outcome", "NO_ANSWER", "note", "n"), "note");

	static final Target TARGETS = new Target("PUT /api/kpi-targets", HttpMethod.PUT, MANAGER, t -> "/api/kpi-targets",
			t -> body("quarter", "2099-Q3", "targets", targets()), "quarter");

	static final Target REVIEWS = new Target("POST /api/kpi-reviews", HttpMethod.POST, MANAGER, t -> "/api/kpi-reviews",
			t -> body("from", "2099-02-01", "to", "2099-02-28", "note", "n"), "note");

	static final Target REPAIR = new Target("POST /api/audit/leads/{id}/next-action", HttpMethod.POST, MANAGER,
			t -> "/api/audit/leads/" + t.fixtureLead("repair") + "/next-action",
			t -> body("type", "CALL", "dueAt", t.nextWorkingTime().toString()), "assignee");

	static final Target REASSIGN = new Target("POST /api/audit/reassign", HttpMethod.POST, MANAGER, t -> "/api/audit/reassign",
			t -> body("from", "nobody" + UUID.randomUUID().toString().substring(0, 8), "to", "rep2"), "from");

	static final List<Target> JSON_TARGETS = List.of(LEADS, EVENTS, COMPLETE, TARGETS, REVIEWS, REPAIR, REASSIGN);

	static Map<String, Object> targets() {
		return body("callsPerDay", 40, "contactRate", 0.2, "meetingRate", List.of(0.1, 0.2), "hearingPerContact",
				List.of(2, 5), "touchIntervalDays", 60, "opportunityRate", List.of(0.33, 0.5));
	}

	static Map<String, Object> body(Object... keysAndValues) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			body.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return body;
	}

	// ------------------------------------------------------------------------------------ cases

	static Stream<Case> jsonCases() {
		List<Case> cases = new ArrayList<>();
		for (Target target : JSON_TARGETS) {
			cases.add(raw(target, "malformed JSON", "{\"a\": ", MediaType.APPLICATION_JSON));
			cases.add(raw(target, "truncated body", null, MediaType.APPLICATION_JSON));
			cases.add(raw(target, "SQL instead of JSON", SQL_OR, MediaType.APPLICATION_JSON));
			cases.add(raw(target, "a JSON array", "[]", MediaType.APPLICATION_JSON));
			cases.add(raw(target, "a JSON string", "\"text\"", MediaType.APPLICATION_JSON));
			cases.add(raw(target, "a JSON number", "42", MediaType.APPLICATION_JSON));
			cases.add(raw(target, "null body", "null", MediaType.APPLICATION_JSON));
			cases.add(raw(target, "empty body", "", MediaType.APPLICATION_JSON));
			cases.add(raw(target, "text/plain", "{}", MediaType.TEXT_PLAIN));
			cases.add(raw(target, "application/xml", "<lead/>", MediaType.APPLICATION_XML));
			cases.add(new Case(target.name(), "DELETE (method not allowed)", target.user(),
					t -> request(HttpMethod.DELETE, target.path().apply(t)), Expect.REFUSED));
			cases.add(field(target, "unknown field", t -> with(target.validBody().apply(t), "isAdmin", true)));
			cases.add(field(target, "unknown field __proto__", t -> with(target.validBody().apply(t), "__proto__", body("admin", true))));
			cases.add(marked(target, "5 MB string", "\"" + "x".repeat(5 * 1024 * 1024) + "\""));
			cases.add(marked(target, "10,000 nested arrays", "[".repeat(DEEP) + "]".repeat(DEEP)));
			cases.add(marked(target, "10,000 nested objects", "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP)));
			cases.add(markedBytes(target, "invalid UTF-8 bytes", new byte[] { '"', 'a', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"' }));
			cases.add(markedBytes(target, "a raw NUL byte", new byte[] { '"', 'a', 0, 'b', '"' }));
			cases.add(markedBytes(target, "a raw line feed", new byte[] { '"', 'a', '\n', 'b', '"' }));
			cases.add(marked(target, "an escaped NUL", "\"a\\u0000b\""));
			cases.add(marked(target, "an escaped ESC", "\"a\\u001b[31mred\""));
			cases.add(marked(target, "a lone surrogate", "\"a\\ud800b\""));
			cases.add(marked(target, "a number for text", "12.5e400"));
		}
		// Wrong types and invalid values, per endpoint.
		cases.add(field(LEADS, "route as number", t -> with(LEADS.validBody().apply(t), "route", 1)));
		cases.add(field(LEADS, "unknown route", t -> with(LEADS.validBody().apply(t), "route", "HACKED")));
		cases.add(field(LEADS, "route with SQL", t -> with(LEADS.validBody().apply(t), "route", "NURTURE' OR 1=1 --")));
		cases.add(field(LEADS, "company as array", t -> with(LEADS.validBody().apply(t), "company", List.of("a"))));
		cases.add(field(LEADS, "email as object", t -> with(LEADS.validBody().apply(t), "email", body("a", 1))));
		cases.add(field(LEADS, "email with SQL", t -> with(LEADS.validBody().apply(t), "email", SQL_OR)));
		cases.add(field(LEADS, "email with script", t -> with(LEADS.validBody().apply(t), "email", SCRIPT)));
		cases.add(field(LEADS, "owner with SQL", t -> with(LEADS.validBody().apply(t), "owner", SQL_OR)));
		cases.add(field(LEADS, "blank company", t -> with(LEADS.validBody().apply(t), "company", " \t ")));
		cases.add(field(LEADS, "company of wide spaces", t -> with(LEADS.validBody().apply(t), "company", "\u3000\u2003 \u3000")));
		cases.add(field(LEADS, "externalId over 100", t -> with(LEADS.validBody().apply(t), "externalId", "e".repeat(101))));
		cases.add(field(LEADS, "externalId with NUL", t -> with(LEADS.validBody().apply(t), "externalId", "a\u0000" + UUID.randomUUID())));
		cases.add(field(LEADS, "contactName with BEL", t -> with(LEADS.validBody().apply(t), "contactName", "a\u0007b")));
		cases.add(field(LEADS, "note with DEL", t -> with(LEADS.validBody().apply(t), "note", "a\u007fb")));
		for (String zone : List.of("+25:00", "Mars/Olympus", "../../etc/passwd", "Asia/Tokyo\u0000", SQL_OR)) {
			cases.add(field(LEADS, "time zone " + printable(zone), t -> with(LEADS.validBody().apply(t), "timeZone", zone)));
		}
		cases.add(field(LEADS, "loss reason PARKED", t -> with(with(LEADS.validBody().apply(t), "route", "RECYCLE"), "lossReason", "PARKED")));

		cases.add(field(EVENTS, "unknown type", t -> with(EVENTS.validBody().apply(t), "type", "HACKED")));
		cases.add(field(EVENTS, "type as number", t -> with(EVENTS.validBody().apply(t), "type", 1)));
		cases.add(field(EVENTS, "reason PARKED", t -> with(EVENTS.validBody().apply(t), "reason", "PARKED")));
		cases.add(field(EVENTS, "note over 2000", t -> with(EVENTS.validBody().apply(t), "note", "n".repeat(2001))));
		cases.add(field(EVENTS, "note as object", t -> with(EVENTS.validBody().apply(t), "note", body("a", 1))));
		cases.add(new Case(EVENTS.name(), "lead id with SQL", SALES,
				t -> json(post("/api/leads/{id}/events", SQL_OR), EVENTS.validBody().apply(t)), Expect.REFUSED));

		cases.add(field(COMPLETE, "unknown outcome", t -> with(COMPLETE.validBody().apply(t), "outcome", "HACKED")));
		cases.add(field(COMPLETE, "outcome as number", t -> with(COMPLETE.validBody().apply(t), "outcome", 5)));
		cases.add(field(COMPLETE, "outcome of another type", t -> with(COMPLETE.validBody().apply(t), "outcome", "OPPORTUNITY")));
		cases.add(field(COMPLETE, "hearing as string", t -> with(COMPLETE.validBody().apply(t), "hearing", "budget")));
		cases.add(field(COMPLETE, "21 hearing items", t -> with(COMPLETE.validBody().apply(t), "hearing", hearing(21, 5))));
		cases.add(field(COMPLETE, "hearing value over 500", t -> with(COMPLETE.validBody().apply(t), "hearing", hearing(1, 501))));
		cases.add(field(COMPLETE, "empty hearing name", t -> with(COMPLETE.validBody().apply(t), "hearing", body("", "x"))));
		cases.add(field(COMPLETE, "hearing name with NUL", t -> with(COMPLETE.validBody().apply(t), "hearing", body("a\u0000", "x"))));
		for (Object date : List.of("2026-02-30T10:00:00Z", "99999-01-01", "+99999-01-01T01:00:00Z", -1, "-1", true,
				"1970-01-01T00:00:00Z", "2026-13-01T10:00:00Z", "2026-12-02T10:00:00+25:00", "2026-12-02T10:00:00[Mars/Olympus]")) {
			cases.add(field(COMPLETE, "meetingAt " + date, t -> body("outcome", "MEETING_SET", "meetingAt", date)));
			cases.add(field(COMPLETE, "callback dueAt " + date,
					t -> body("outcome", "CALLBACK", "next", body("type", "CALL", "dueAt", date))));
		}
		cases.add(field(COMPLETE, "next as array", t -> body("outcome", "CALLBACK", "next", List.of())));
		cases.add(field(COMPLETE, "next type MEETING", t -> body("outcome", "NO_ANSWER", "next",
				body("type", "MEETING", "dueAt", t.nextWorkingTime().toString()))));
		cases.add(new Case(COMPLETE.name(), "action id with SQL", "rep",
				t -> json(post("/api/next-actions/{id}/complete", SQL_OR), COMPLETE.validBody().apply(t)), Expect.REFUSED));

		cases.add(field(TARGETS, "quarter 2026-Q5", t -> with(TARGETS.validBody().apply(t), "quarter", "2026-Q5")));
		cases.add(field(TARGETS, "quarter with SQL", t -> with(TARGETS.validBody().apply(t), "quarter", SQL_OR)));
		cases.add(field(TARGETS, "rep with SQL", t -> with(TARGETS.validBody().apply(t), "rep", SQL_OR)));
		cases.add(field(TARGETS, "callsPerDay as text", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "callsPerDay", "abc"))));
		cases.add(field(TARGETS, "callsPerDay 2^31", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "callsPerDay", 2147483648L))));
		cases.add(field(TARGETS, "callsPerDay -1", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "callsPerDay", -1))));
		cases.add(field(TARGETS, "contactRate NaN", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "contactRate", "NaN"))));
		cases.add(field(TARGETS, "contactRate Infinity", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "contactRate", "Infinity"))));
		cases.add(field(TARGETS, "meetingRate reversed", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "meetingRate", List.of(0.3, 0.2)))));
		cases.add(field(TARGETS, "meetingRate of one", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "meetingRate", List.of(0.1)))));
		cases.add(field(TARGETS, "meetingRate with null", t -> with(TARGETS.validBody().apply(t), "targets", with(targets(), "meetingRate", Arrays.asList(null, 0.2)))));
		cases.add(field(TARGETS, "targets missing", t -> body("quarter", "2099-Q3")));

		for (Object date : List.of("2026-02-30", "99999-01-01", "+99999-01-01", -1, "-1", "2026-1-1", "../../etc/passwd")) {
			cases.add(field(REVIEWS, "from " + date, t -> with(REVIEWS.validBody().apply(t), "from", date)));
		}
		cases.add(field(REVIEWS, "to before from", t -> with(REVIEWS.validBody().apply(t), "to", "2099-01-01")));
		cases.add(field(REVIEWS, "blank note", t -> with(REVIEWS.validBody().apply(t), "note", " ")));
		cases.add(field(REVIEWS, "rep with SQL", t -> with(REVIEWS.validBody().apply(t), "rep", SQL_OR)));

		cases.add(field(REPAIR, "unknown type", t -> with(REPAIR.validBody().apply(t), "type", "HACKED")));
		cases.add(field(REPAIR, "type MEETING", t -> with(REPAIR.validBody().apply(t), "type", "MEETING")));
		for (Object date : List.of("2026-02-30T10:00:00Z", "99999-01-01", "+99999-01-01T01:00:00Z", -1, "1970-01-01T00:00:00Z")) {
			cases.add(field(REPAIR, "dueAt " + date, t -> with(REPAIR.validBody().apply(t), "dueAt", date)));
		}
		cases.add(field(REPAIR, "assignee with SQL", t -> with(REPAIR.validBody().apply(t), "assignee", SQL_OR)));
		cases.add(new Case(REPAIR.name(), "lead id with SQL", MANAGER,
				t -> json(post("/api/audit/leads/{id}/next-action", SQL_OR), REPAIR.validBody().apply(t)), Expect.REFUSED));

		cases.add(field(REASSIGN, "spread as text", t -> with(REASSIGN.validBody().apply(t), "spread", "yes")));
		cases.add(field(REASSIGN, "to and spread", t -> with(REASSIGN.validBody().apply(t), "spread", true)));
		cases.add(field(REASSIGN, "to with SQL", t -> with(REASSIGN.validBody().apply(t), "to", SQL_OR)));
		cases.add(field(REASSIGN, "empty from", t -> with(REASSIGN.validBody().apply(t), "from", "")));
		cases.add(new Case("POST /api/audit/incidents/{id}/retry", "incident id with SQL", MANAGER,
				t -> post("/api/audit/incidents/{id}/retry", SQL_OR), Expect.REFUSED));
		cases.add(new Case("POST /api/mail/outbox/{id}/retry", "mail id with SQL", MANAGER,
				t -> post("/api/mail/outbox/{id}/retry", SQL_OR), Expect.REFUSED));
		return cases.stream();
	}

	static Stream<Case> csvCases() {
		List<Case> cases = new ArrayList<>();
		String header = "externalId,route,company,email\n";
		cases.add(csv("60 MB file", t -> {
			byte[] big = new byte[60 * 1024 * 1024];
			Arrays.fill(big, (byte) 'a');
			byte[] head = header.getBytes(StandardCharsets.UTF_8);
			System.arraycopy(head, 0, big, 0, head.length);
			return big;
		}, "text/csv"));
		cases.add(csv("invalid UTF-8 bytes", t -> concat(header.getBytes(StandardCharsets.UTF_8),
				new byte[] { 'x', ',', 'N', 'U', 'R', 'T', 'U', 'R', 'E', ',', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, ',', 'a', '@', 'b', '.', 'c', '\n' }),
				"text/csv"));
		cases.add(csv("empty file", t -> new byte[0], "text/csv"));
		cases.add(csv("no header", t -> "\n\n".getBytes(StandardCharsets.UTF_8), "text/csv"));
		cases.add(csv("unknown columns", t -> ("isAdmin,password\ntrue,x\n").getBytes(StandardCharsets.UTF_8), "text/csv"));
		cases.add(csv("JSON instead of CSV", t -> "{\"externalId\":\"x\"}".getBytes(StandardCharsets.UTF_8), "text/csv"));
		cases.add(csv("charset EBCDIC", t -> header.getBytes(StandardCharsets.UTF_8), "text/csv; charset=IBM037"));
		cases.add(csv("application/json", t -> header.getBytes(StandardCharsets.UTF_8), "application/json"));
		cases.add(csv("no content type", t -> header.getBytes(StandardCharsets.UTF_8), null));
		return cases.stream();
	}

	/** GET endpoints with hostile query parameters: who asks, the path, the parameters, and what must come back. */
	static Stream<Case> queryCases() {
		List<Case> cases = new ArrayList<>();
		List<String[]> paging = List.of(new String[] { "page", "-1" }, new String[] { "size", "0" },
				new String[] { "size", "-5" }, new String[] { "size", "2147483648" }, new String[] { "page", "99999999999" },
				new String[] { "page", "abc" }, new String[] { "size", "1e3" }, new String[] { "page", SQL_OR },
				new String[] { "size", "100000" });
		for (String path : List.of("/api/leads", "/api/inbox", "/api/audit/no-next-action", "/api/audit/overdue",
				"/api/audit/untouched", "/api/audit/inactive-owners", "/api/audit/incidents", "/api/mail/outbox")) {
			String user = path.equals("/api/inbox") ? "rep" : MANAGER;
			for (String[] param : paging) {
				cases.add(query(path, user, Expect.REFUSED, param));
			}
			// A valid page far beyond the end: empty, never an overflowed offset.
			cases.add(query(path, user, Expect.EMPTY, new String[] { "page", "2147483647" }, new String[] { "size", "200" }));
		}
		for (String path : List.of("/api/leads", "/api/audit/no-next-action", "/api/audit/overdue", "/api/audit/untouched",
				"/api/audit/inactive-owners")) {
			cases.add(query(path, MANAGER, Expect.REFUSED, new String[] { "route", "HACKED" }));
			cases.add(query(path, MANAGER, Expect.REFUSED, new String[] { "route", "NURTURE' OR '1'='1" }));
			cases.add(query(path, MANAGER, Expect.EMPTY, new String[] { "owner", SQL_OR }));
			cases.add(query(path, MANAGER, Expect.EMPTY, new String[] { "owner", "x' UNION SELECT * FROM ACT_ID_USER --" }));
			cases.add(query(path, MANAGER, Expect.EMPTY, new String[] { "owner", SCRIPT }));
			cases.add(query(path, MANAGER, Expect.EMPTY, new String[] { "owner", "a\u0000b" }));
		}
		for (String path : List.of("/api/audit/no-next-action", "/api/audit/overdue", "/api/audit/incidents")) {
			cases.add(query(path, MANAGER, Expect.REFUSED, new String[] { "format", "../../etc/passwd" }));
		}
		cases.add(query("/api/leads", MANAGER, Expect.REFUSED, new String[] { "status", SQL_OR }));
		cases.add(query("/api/leads", "rep", Expect.FORBIDDEN, new String[] { "owner", SQL_OR }));
		cases.add(query("/api/inbox", "rep", Expect.REFUSED, new String[] { "due", SQL_OR }));
		cases.add(query("/api/inbox", "rep", Expect.FORBIDDEN, new String[] { "assignee", SQL_OR }));
		cases.add(query("/api/inbox", MANAGER, Expect.EMPTY, new String[] { "assignee", SQL_OR }));
		cases.add(query("/api/mail/outbox", MANAGER, Expect.REFUSED, new String[] { "state", SQL_OR }));
		for (String path : List.of("/api/kpis", "/api/kpis/reps", "/api/kpi-reviews")) {
			for (String date : List.of("2026-02-30", "99999-01-01", "-1", "+99999-01-01", "2026/11/01", SQL_OR)) {
				cases.add(query(path, MANAGER, Expect.REFUSED, new String[] { "from", date }, new String[] { "to", "2026-11-30" }));
			}
			// An empty parameter is an absent one: the KPIs default to this month, the others require it. 'to' a
			// month ahead lies after the first of this month in any zone, whatever the day the suite runs.
			cases.add(query(path, MANAGER, path.equals("/api/kpis") ? Expect.OK : Expect.REFUSED, new String[] { "from", "" },
					new String[] { "to", LocalDate.now(ZoneOffset.UTC).plusMonths(1).toString() }));
			cases.add(query(path, MANAGER, Expect.REFUSED, new String[] { "from", "0001-01-01" }, new String[] { "to", "9999-12-31" }));
			cases.add(query(path, MANAGER, Expect.REFUSED, new String[] { "from", "2026-12-01" }, new String[] { "to", "2026-11-01" }));
		}
		cases.add(query("/api/kpis/reps", MANAGER, Expect.REFUSED));
		cases.add(query("/api/kpi-reviews", MANAGER, Expect.REFUSED, new String[] { "from", "2026-11-01" }));
		// Managers may ask for any rep id (also one who has left): an injection is just a rep with no KPIs.
		cases.add(query("/api/kpis", MANAGER, Expect.EMPTY, new String[] { "rep", SQL_OR }));
		cases.add(query("/api/kpis", "rep", Expect.FORBIDDEN, new String[] { "rep", SQL_OR }));
		cases.add(query("/api/kpis", MANAGER, Expect.REFUSED, new String[] { "granularity", SQL_OR }));
		cases.add(query("/api/kpi-targets", MANAGER, Expect.REFUSED, new String[] { "quarter", SQL_OR }));
		cases.add(query("/api/kpi-targets", MANAGER, Expect.OK, new String[] { "quarter", "2026-Q4" }, new String[] { "rep", SQL_OR }));
		cases.add(query("/api/kpi-targets", "rep", Expect.FORBIDDEN, new String[] { "quarter", "2026-Q4" }, new String[] { "rep", SQL_OR }));
		cases.add(query("/api/kpi-targets", MANAGER, Expect.REFUSED));
		for (String id : List.of(SQL_OR, SCRIPT, "a\u0000b", "%00", "..%2F..%2Fetc%2Fpasswd")) {
			cases.add(query("/api/leads/" + id, MANAGER, Expect.REFUSED));
			cases.add(query("/api/imports/" + id, MANAGER, Expect.REFUSED));
			cases.add(query("/api/next-actions/" + id + "/email-preview", MANAGER, Expect.REFUSED));
		}
		cases.add(new Case("GET /api/next-actions/{id}/email-preview", "no template (control)", "rep",
				t -> get("/api/next-actions/{id}/email-preview", t.fixtureEmailAction()), Expect.OK));
		for (String template : List.of("../../etc/passwd", "..\\..\\windows", "no-such-template", SCRIPT, "a\u0000b", SQL_OR,
				"%2e%2e%2f", "t".repeat(5000), "Welcome")) {
			cases.add(new Case("GET /api/next-actions/{id}/email-preview", "?template=" + printable(abbreviate(template, 40)), "rep",
					t -> get("/api/next-actions/{id}/email-preview", t.fixtureEmailAction()).param("template", template),
					Expect.REFUSED));
		}
		cases.add(new Case("GET /api/leads", "Accept: text/csv", MANAGER, t -> get("/api/leads").accept("text/csv"), Expect.REFUSED));
		cases.add(new Case("GET /api/no-such-endpoint", "unknown path", MANAGER, t -> get("/api/no-such-endpoint"), Expect.REFUSED));
		cases.add(new Case("PATCH /api/leads", "method not allowed", MANAGER, t -> request(HttpMethod.PATCH, "/api/leads"), Expect.REFUSED));
		return cases.stream();
	}

	static Stream<Arguments> allCases() {
		return Stream.of(jsonCases(), csvCases(), queryCases()).flatMap(s -> s).map(c -> Arguments.of(c.toString(), c));
	}

	// ------------------------------------------------------------------------------------ the test

	@ParameterizedTest(name = "{0}")
	@MethodSource("allCases")
	void hostileInputIsRefusedQuicklyAndStoresNothing(String name, Case c) throws Exception {
		MockHttpServletRequestBuilder builder = c.build().build(this);
		String user = c.user().equals("rep") ? rep : c.user();
		builder = builder.with(httpBasic(user, password(user)));
		Counts before = counts();

		MockHttpServletRequestBuilder request = builder;
		MockHttpServletResponse response = assertTimeoutPreemptively(QUICK,
				() -> mvc.perform(request).andReturn().getResponse(), name + " answered within " + QUICK);

		String body = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as("%s: never a server error: %s", name, abbreviate(body)).isLessThan(500);
		switch (c.expect()) {
			case REFUSED -> {
				assertThat(response.getStatus()).as("%s: a client error: %s", name, abbreviate(body)).isBetween(400, 499);
				// Not 401/403 (the input, not the caller, is wrong) and not 409: a conflict would mean an earlier
				// case changed the target this one is aimed at.
				assertThat(response.getStatus()).as("%s: refused for its input: %s", name, abbreviate(body)).isNotIn(401, 403, 409);
				assertProblem(name, response);
				assertThat(counts()).as("%s stored nothing", name).isEqualTo(before);
			}
			case EMPTY -> {
				assertThat(response.getStatus()).as("%s: %s", name, abbreviate(body)).isEqualTo(200);
				JsonNode json = this.json.readTree(body);
				if (json.has("counts")) {
					json.path("counts").forEach(n -> assertThat(n.asLong()).as("%s counted nothing: %s", name, abbreviate(body)).isZero());
				}
				else {
					JsonNode content = json.isArray() ? json : json.path("content");
					assertThat(content.isArray()).as("%s: %s", name, abbreviate(body)).isTrue();
					assertThat(content.size()).as("%s matched nothing: %s", name, abbreviate(body)).isZero();
				}
				assertThat(counts()).isEqualTo(before);
			}
			case ACCEPTED -> assertThat(response.getStatus()).as(name).isBetween(200, 299);
			case FORBIDDEN -> {
				assertThat(response.getStatus()).as("%s: %s", name, abbreviate(body)).isEqualTo(403);
				assertProblem(name, response);
				assertThat(counts()).isEqualTo(before);
			}
			case OK -> {
				assertThat(response.getStatus()).as("%s: %s", name, abbreviate(body)).isEqualTo(200);
				assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
				assertThat(counts()).isEqualTo(before);
			}
		}
	}

	void assertProblem(String name, MockHttpServletResponse response) throws Exception {
		String body = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getContentType()).as("%s: a problem detail, not %s %s", name, response.getStatus(), abbreviate(body))
			.startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		JsonNode problem = json.readTree(body);
		assertThat(problem.path("status").asInt()).as("%s: %s", name, abbreviate(body)).isEqualTo(response.getStatus());
		assertThat(problem.path("detail").asText()).as("%s: a detail in %s", name, abbreviate(body)).isNotBlank();
		assertThat(body).as("%s: no internals in %s", name, abbreviate(body)).doesNotContain("Exception").doesNotContain("\tat ");
	}

	// ------------------------------------------------------------------------------------ stored as text

	@Test
	void injectionStringsInValidInputAreStoredAsPlainTextAndShownEscaped() throws Exception {
		Map<String, Object> body = leadBody("NURTURE", rep);
		body.put("externalId", SQL_OR + " " + UUID.randomUUID());
		body.put("company", SQL_DROP + " " + SCRIPT);
		body.put("contactName", "<img src=x onerror=alert(1)>");
		body.put("source", "'; DELETE FROM lf_next_action; --");
		body.put("note", "\"/><script>alert('note')</script>");
		long leads = count("lf_lead");

		MockHttpServletResponse created = mvc.perform(post("/api/leads").with(httpBasic(MARKETING, MARKETING))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(body))).andReturn().getResponse();

		assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
		assertThat(created.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		assertThat(created.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		JsonNode lead = json.readTree(created.getContentAsByteArray());
		for (String field : List.of("externalId", "company", "contactName", "source")) {
			assertThat(lead.path(field).asText()).as(field).isEqualTo(body.get(field));
		}
		assertThat(count("lf_lead")).as("one lead more, none less: the table is still there").isEqualTo(leads + 1);
		String id = lead.path("id").asText();
		Map<String, Object> row = jdbcTemplate.queryForMap("SELECT external_id, company, contact_name, source FROM lf_lead WHERE id = ?", id);
		assertThat(row.values()).containsExactly(body.get("externalId"), body.get("company"), body.get("contactName"), body.get("source"));
		JsonNode read = lead(id);
		assertThat(read.path("company").asText()).isEqualTo(body.get("company"));
		assertThat(read.path("history").get(0).path("note").asText()).isEqualTo(body.get("note"));

		// Completion note and hearing items are text too.
		String note = SCRIPT + " " + SQL_OR;
		JsonNode after = complete(actionId(lead), rep, Map.of("outcome", "CONTACTED", "note", note, "hearing",
				Map.of("budget", SQL_DROP, "timeline", "<b>next year</b>")));
		JsonNode completed = lead(after.path("id").asText()).path("history");
		JsonNode event = completed.get(completed.size() - 1).path("type").asText().equals("ACTION_COMPLETED")
				? completed.get(completed.size() - 1) : find(completed, "ACTION_COMPLETED");
		assertThat(event.path("note").asText()).isEqualTo(note);
		assertThat(event.path("hearing").path("budget").asText()).isEqualTo(SQL_DROP);

		// The pages show it as text.
		MockHttpSession manager = login(MANAGER);
		String page = mvc.perform(get("/leads/{id}", id).session(manager)).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
		assertThat(page).doesNotContain(SCRIPT)
			.doesNotContain("<img src=x")
			.doesNotContain("<b>next year</b>")
			.doesNotContain("<script>alert('note')")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.contains("&lt;img src=x onerror=alert(1)&gt;");
		String inbox = mvc.perform(get("/inbox").param("assignee", rep).session(manager))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(inbox).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT).doesNotContain("<img src=x");
	}

	@Test
	void pagesKeepTheirHtmlErrorPagesWhileTheApiAnswersWithProblemDetails() throws Exception {
		MockHttpSession manager = login(MANAGER);
		// Errors before a controller is chosen: JSON under /api/**, the container's HTML error page for pages.
		MockHttpServletResponse api = mvc.perform(request(HttpMethod.PUT, "/api/inbox").with(httpBasic(MANAGER, MANAGER)))
			.andReturn()
			.getResponse();
		assertThat(api.getStatus()).isEqualTo(405);
		assertProblem("PUT /api/inbox", api);
		assertThat(api.getHeader(HttpHeaders.ALLOW)).contains("GET");
		for (MockHttpServletRequestBuilder page : List.of(request(HttpMethod.PUT, "/inbox"), get("/no-such-page"),
				get("/actions/{id}/complete", "x"))) {
			MockHttpServletResponse response = mvc.perform(page.session(manager)
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
				.accept(MediaType.TEXT_HTML)).andReturn().getResponse();
			assertThat(response.getStatus()).as(response.getContentAsString()).isBetween(400, 499);
			assertThat(String.valueOf(response.getContentType())).as("a page error is no JSON").doesNotContain("json");
		}
		// A page controller's own error: the HTML error page.
		MockHttpServletResponse missing = mvc.perform(get("/leads/{id}", "no-such-lead").session(manager).accept(MediaType.TEXT_HTML))
			.andReturn()
			.getResponse();
		assertThat(missing.getStatus()).isEqualTo(404);
		assertThat(missing.getContentType()).startsWith(MediaType.TEXT_HTML_VALUE);
	}

	static JsonNode find(JsonNode history, String type) {
		for (JsonNode event : history) {
			if (event.path("type").asText().equals(type)) {
				return event;
			}
		}
		throw new AssertionError("no " + type + " in " + history);
	}

	// ------------------------------------------------------------------------------------ helpers

	static Case raw(Target target, String attack, String content, MediaType type) {
		return new Case(target.name(), attack, target.user(), t -> {
			String text = content;
			if (text == null) {
				String valid = t.json.writeValueAsString(target.validBody().apply(t));
				text = valid.substring(0, valid.length() / 2);
			}
			return request(target.method(), target.path().apply(t)).contentType(type).content(text.getBytes(StandardCharsets.UTF_8));
		}, Expect.REFUSED);
	}

	static Case field(Target target, String attack, Function<HostileInputTest, Map<String, Object>> body) {
		return new Case(target.name(), attack, target.user(),
				t -> json(request(target.method(), target.path().apply(t)), body.apply(t)), Expect.REFUSED);
	}

	/** The valid body with the target's text field replaced by raw JSON text. */
	static Case marked(Target target, String attack, String rawJsonValue) {
		return markedBytes(target, attack, rawJsonValue.getBytes(StandardCharsets.UTF_8));
	}

	static Case markedBytes(Target target, String attack, byte[] rawJsonValue) {
		return new Case(target.name(), attack, target.user(), t -> {
			Map<String, Object> body = target.validBody().apply(t);
			body.put(target.textField(), MARK);
			byte[] template = t.json.writeValueAsBytes(body);
			byte[] mark = ("\"" + MARK + "\"").getBytes(StandardCharsets.UTF_8);
			return request(target.method(), target.path().apply(t)).contentType(MediaType.APPLICATION_JSON)
				.content(replace(template, mark, rawJsonValue));
		}, Expect.REFUSED);
	}

	static Case csv(String attack, Function<HostileInputTest, byte[]> content, String type) {
		return new Case("POST /api/leads/import", attack, MARKETING, t -> {
			MockHttpServletRequestBuilder builder = post("/api/leads/import").content(content.apply(t));
			return type == null ? builder : builder.header(HttpHeaders.CONTENT_TYPE, type);
		}, Expect.REFUSED);
	}

	static Case query(String path, String user, Expect expect, String[]... params) {
		StringBuilder shown = new StringBuilder();
		for (String[] param : params) {
			shown.append(shown.isEmpty() ? "?" : "&").append(param[0]).append('=').append(printable(param[1]));
		}
		return new Case("GET " + printable(path), shown.isEmpty() ? "required parameter missing" : shown.toString(), user, t -> {
			MockHttpServletRequestBuilder builder = get(java.net.URI.create("http://localhost" + encodePath(path)));
			for (String[] param : params) {
				builder = builder.param(param[0], param[1]);
			}
			return builder;
		}, expect);
	}

	/** Path segments as a client sends them: percent-encoded, '%' left as typed. */
	static String encodePath(String path) {
		StringBuilder out = new StringBuilder();
		for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xFF);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "/-._~%".indexOf(c) >= 0) {
				out.append(c);
			}
			else {
				out.append('%').append(String.format("%02X", b & 0xFF));
			}
		}
		return out.toString();
	}

	static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder builder, Map<String, Object> body) throws Exception {
		return builder.contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsBytes(body));
	}

	static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

	static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
		Map<String, Object> copy = new LinkedHashMap<>(body);
		copy.put(key, value);
		return copy;
	}

	static Map<String, Object> hearing(int items, int length) {
		Map<String, Object> hearing = new LinkedHashMap<>();
		for (int i = 0; i < items; i++) {
			hearing.put("item" + i, "v".repeat(length));
		}
		return hearing;
	}

	static String printable(String value) {
		StringBuilder out = new StringBuilder();
		value.codePoints().forEach(cp -> {
			if (Character.isISOControl(cp)) {
				out.append(String.format("\\u%04x", cp));
			}
			else {
				out.appendCodePoint(cp);
			}
		});
		return out.toString();
	}

	static byte[] replace(byte[] template, byte[] mark, byte[] with) {
		for (int i = 0; i <= template.length - mark.length; i++) {
			if (Arrays.equals(template, i, i + mark.length, mark, 0, mark.length)) {
				ByteArrayOutputStream out = new ByteArrayOutputStream(template.length + with.length);
				out.write(template, 0, i);
				out.write(with, 0, with.length);
				out.write(template, i + mark.length, template.length - i - mark.length);
				return out.toByteArray();
			}
		}
		throw new IllegalStateException("mark not found");
	}

	static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	static String abbreviate(String text, int max) {
		return text.length() > max ? text.substring(0, max) + "…" : text;
	}

	static String abbreviate(String body) {
		return body.length() > 600 ? body.substring(0, 600) + "…" : body;
	}

	MockHttpSession login(String user) throws Exception {
		return (MockHttpSession) mvc.perform(formLogin("/login").user(user).password(password(user)))
			.andReturn()
			.getRequest()
			.getSession(false);
	}

	/** Everything a refused request must leave as it was. */
	record Counts(long leads, long events, long actions, long openActions, long aliases, long targets, long reviews,
			long imports, long importRows) {
	}

	Counts counts() {
		// One round trip: this runs twice for every case.
		return jdbcTemplate.queryForObject("SELECT (SELECT COUNT(*) FROM lf_lead), (SELECT COUNT(*) FROM lf_lead_event), "
				+ "(SELECT COUNT(*) FROM lf_next_action), (SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN'), "
				+ "(SELECT COUNT(*) FROM lf_lead_alias), (SELECT COUNT(*) FROM lf_kpi_target), (SELECT COUNT(*) FROM lf_kpi_review), "
				+ "(SELECT COUNT(*) FROM lf_import), (SELECT COUNT(*) FROM lf_import_row)",
				(rs, n) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
						rs.getLong(7), rs.getLong(8), rs.getLong(9)));
	}

	long count(String table) {
		return jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
	}

}
