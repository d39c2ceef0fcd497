package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadflow.testsupport.LeadflowApiSupport;
import com.leadflow.testsupport.LeadflowTest;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockServletConfig;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may call what: every endpoint of the API, the engine REST API, Actuator, the OpenAPI
 * document and the pages, against every role (anonymous and the demo users), through the real
 * security filters. A request the rules let through must not end in 401/403; one they refuse must
 * change nothing. Plus CSRF on every page form, the pages' security headers, hashed passwords and
 * sessions that end.
 *
 * <p>The matrix is checked against the application's own request mappings, so a new endpoint
 * without a row here fails {@link #everyEndpointIsInTheMatrix()}.
 */
@LeadflowTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityMatrixTest extends LeadflowApiSupport {

	enum Role {

		ANONYMOUS(null), MARKETING("marketing"), REP1("rep1"), REP2("rep2"), SALES1("sales1"), MANAGER("manager"),
		ADMIN("admin");

		final String user;

		Role(String user) {
			this.user = user;
		}

		@Override
		public String toString() {
			return user == null ? "anonymous" : user;
		}

	}

	/** Anonymous on a page: sent to the login form. */
	static final int LOGIN = -302;

	/** Builds the request of a row (without credentials); {@code allowed}: whether the rules let the role through. */
	@FunctionalInterface
	interface Req {

		MockHttpServletRequestBuilder build(SecurityMatrixTest test, boolean allowed) throws Exception;

	}

	/** One endpoint with the status each role gets, in the order of {@link Role}. */
	record Endpoint(String method, String pattern, boolean page, Req req, int[] expected) {

		String key() {
			return method + " " + pattern;
		}

	}

	static Endpoint api(String method, String pattern, Req req, int... expected) {
		return new Endpoint(method, pattern, false, req, expected);
	}

	static Endpoint page(String pattern, Req req, int... expected) {
		return new Endpoint("GET", pattern, true, req, expected);
	}

	static final String QUARTER = "2026-Q4";

	static final List<Endpoint> ENDPOINTS = List.of(
	// @formatter:off
	//                                                                                   anon mkt  rep1 rep2 sales mgr  admin
		api("POST", "/api/leads", (t, ok) -> t.json(post("/api/leads"), leadBody("NURTURE", "rep1")),
																							401, 201, 403, 403, 403, 201, 201),
		api("GET", "/api/leads/{id}", (t, ok) -> get("/api/leads/{id}", fixture().leadId()),		401, 200, 200, 403, 403, 200, 200),
		api("GET", "/api/leads", (t, ok) -> get("/api/leads"),									401, 200, 200, 200, 200, 200, 200),
		api("POST", "/api/leads/{id}/events", (t, ok) -> t.json(post("/api/leads/{id}/events", ok ? t.freshLeadOfRep1() : fixture().leadId()),
				Map.of("type", "DEAL_LOST", "reason", "PENDING")),								401, 403, 403, 403, 200, 200, 200),
		// Allowed roles get to the controller, which refuses the content type (an import would be picked up by other tests' workers).
		api("POST", "/api/leads/import", (t, ok) -> post("/api/leads/import").contentType(MediaType.TEXT_PLAIN).content("externalId\n"),
																							401, 415, 403, 403, 403, 415, 415),
		api("GET", "/api/imports/{id}", (t, ok) -> get("/api/imports/{id}", "no-such-import"),	401, 404, 403, 403, 403, 404, 404),
		api("GET", "/api/inbox", (t, ok) -> get("/api/inbox"),									401, 403, 200, 200, 200, 200, 200),
		api("POST", "/api/next-actions/{id}/complete", (t, ok) -> t.json(post("/api/next-actions/{id}/complete",
				ok ? actionOf(t.createLead("NURTURE", "rep1")) : fixture().actionId()), Map.of("outcome", "NO_ANSWER")),
																							401, 403, 200, 403, 403, 200, 200),
		// rep1's first action is a call: allowed callers pass the checks of the role and the owner, then learn it sends no mail.
		api("GET", "/api/next-actions/{id}/email-preview", (t, ok) -> get("/api/next-actions/{id}/email-preview", fixture().actionId()),
																							401, 403, 400, 403, 403, 400, 400),
		api("GET", "/api/kpis", (t, ok) -> get("/api/kpis"),									401, 403, 200, 200, 403, 200, 200),
		api("GET", "/api/kpis/reps", (t, ok) -> get("/api/kpis/reps").param("from", "2026-11-01").param("to", "2026-11-30"),
																							401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/kpi-targets", (t, ok) -> get("/api/kpi-targets").param("quarter", QUARTER),
																							401, 403, 200, 200, 403, 200, 200),
		api("PUT", "/api/kpi-targets", (t, ok) -> t.json(put("/api/kpi-targets"), Map.of("quarter", "2099-Q4", "rep",
				t.freshRep("matrix"), "targets", Map.of("callsPerDay", 40, "contactRate", 0.2, "meetingRate", List.of(0.1, 0.2),
						"hearingPerContact", List.of(2, 5), "touchIntervalDays", 60, "opportunityRate", List.of(0.33, 0.5)))),
																							401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/kpi-reviews", (t, ok) -> get("/api/kpi-reviews").param("from", "2026-11-01").param("to", "2026-11-30"),
																							401, 403, 200, 200, 403, 200, 200),
		api("POST", "/api/kpi-reviews", (t, ok) -> t.json(post("/api/kpi-reviews"), Map.of("from", "2099-01-01", "to",
				"2099-01-31", "rep", t.freshRep("matrix"), "note", "matrix")),					401, 403, 403, 403, 403, 201, 201),
		api("GET", "/api/audit", (t, ok) -> get("/api/audit"),									401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/audit/no-next-action", (t, ok) -> get("/api/audit/no-next-action").param("owner", "nobody"),
																							401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/audit/overdue", (t, ok) -> get("/api/audit/overdue"),					401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/audit/untouched", (t, ok) -> get("/api/audit/untouched"),				401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/audit/inactive-owners", (t, ok) -> get("/api/audit/inactive-owners"),	401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/audit/incidents", (t, ok) -> get("/api/audit/incidents"),				401, 403, 403, 403, 403, 200, 200),
		api("POST", "/api/audit/leads/{leadId}/next-action", (t, ok) -> t.json(post("/api/audit/leads/{id}/next-action", "no-such-lead"),
				Map.of("type", "CALL", "dueAt", "2099-01-05T01:00:00Z")),						401, 403, 403, 403, 403, 404, 404),
		api("POST", "/api/audit/reassign", (t, ok) -> t.json(post("/api/audit/reassign"),
				Map.of("from", t.freshRep("matrix"), "to", "rep2")),				401, 403, 403, 403, 403, 200, 200),
		api("POST", "/api/audit/incidents/{incidentId}/retry", (t, ok) -> post("/api/audit/incidents/{id}/retry", "no-such-incident"),
																							401, 403, 403, 403, 403, 404, 404),
		api("POST", "/api/audit/check", (t, ok) -> post("/api/audit/check"),					401, 403, 403, 403, 403, 200, 200),
		api("GET", "/api/mail/outbox", (t, ok) -> get("/api/mail/outbox"),						401, 403, 403, 403, 403, 200, 200),
		api("POST", "/api/mail/outbox/{id}/retry", (t, ok) -> post("/api/mail/outbox/{id}/retry", "no-such-mail"),
																							401, 403, 403, 403, 403, 404, 404),
		api("GET", "/engine-rest/process-definition", (t, ok) -> get("/engine-rest/process-definition").servletPath("/engine-rest"),
																							401, 403, 403, 403, 403, 403, 200),
		api("GET", "/actuator/health", (t, ok) -> get("/actuator/health"),						200, 200, 200, 200, 200, 200, 200),
		// Public, but a component (and its details) only for managers and admins; the others find none.
		api("GET", "/actuator/health/mail", (t, ok) -> get("/actuator/health/mail"),				404, 404, 404, 404, 404, 200, 200),
		api("GET", "/actuator/health/readiness", (t, ok) -> get("/actuator/health/readiness"),	200, 200, 200, 200, 200, 200, 200),
		api("GET", "/actuator/info", (t, ok) -> get("/actuator/info"),							401, 403, 403, 403, 403, 200, 200),
		api("GET", "/actuator/metrics", (t, ok) -> get("/actuator/metrics"),					401, 403, 403, 403, 403, 200, 200),
		api("GET", "/actuator/prometheus", (t, ok) -> get("/actuator/prometheus"),				401, 403, 403, 403, 403, 200, 200),
		api("GET", "/v3/api-docs", (t, ok) -> get("/v3/api-docs"),								401, 200, 200, 200, 200, 200, 200),

		page("/", (t, ok) -> get("/"),															LOGIN, 302, 302, 302, 302, 302, 302),
		page("/login", (t, ok) -> get("/login"),												200, 200, 200, 200, 200, 200, 200),
		page("/inbox", (t, ok) -> get("/inbox"),												LOGIN, 403, 200, 200, 200, 200, 200),
		page("/leads/{id}", (t, ok) -> get("/leads/{id}", fixture().leadId()),						LOGIN, 200, 200, 403, 403, 200, 200),
		page("/leads/{id}/process", (t, ok) -> get("/leads/{id}/process", fixture().leadId()),		LOGIN, 200, 200, 403, 403, 200, 200),
		page("/actions/{id}/form", (t, ok) -> get("/actions/{id}/form", fixture().actionId()),		LOGIN, 403, 200, 403, 403, 200, 200),
		page("/actions/{id}/suggestion", (t, ok) -> get("/actions/{id}/suggestion", fixture().actionId()).param("outcome", "NO_ANSWER"),
																							LOGIN, 403, 200, 403, 403, 200, 200),
		page("/dashboard", (t, ok) -> get("/dashboard"),										LOGIN, 403, 200, 200, 403, 200, 200),
		page("/audit", (t, ok) -> get("/audit"),												LOGIN, 403, 403, 403, 403, 200, 200),
		page("/audit/export/{list}", (t, ok) -> get("/audit/export/{list}", "overdue"),			LOGIN, 403, 403, 403, 403, 200, 200),
		page("/intake", (t, ok) -> get("/intake"),												LOGIN, 200, 403, 403, 403, 200, 200),
		page("/intake/imports/{id}", (t, ok) -> get("/intake/imports/{id}", "no-such-import"),	LOGIN, 404, 403, 403, 403, 404, 404),
		// Public: the lead clicking the link in a mail has no login; a link without a valid signature is refused.
		page("/unsubscribe", (t, ok) -> get("/unsubscribe").param("lead", "x").param("sig", "forged"),
																							400, 400, 400, 400, 400, 400, 400),
		page("/swagger-ui.html", (t, ok) -> get("/swagger-ui.html"),							LOGIN, 302, 302, 302, 302, 302, 302));
	// @formatter:on

	/** rep1's lead with its open first action (a call), read by every role. */
	record Fixture(String leadId, String actionId) {
	}

	static Fixture fixture;

	static Fixture fixture() {
		return fixture;
	}

	static final Map<Role, MockHttpSession> SESSIONS = new EnumMap<>(Role.class);

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	WebApplicationContext context;

	@Autowired
	@Qualifier("springSecurityFilterChain")
	Filter securityFilters;

	@Autowired
	Environment environment;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@BeforeEach
	void rep1HasALead() throws Exception {
		synchronized (SecurityMatrixTest.class) {
			if (fixture == null) {
				JsonNode lead = createLead("NURTURE", "rep1");
				fixture = new Fixture(lead.get("id").asText(), actionOf(lead));
			}
		}
	}

	static Stream<Arguments> rows() {
		List<Arguments> rows = new ArrayList<>();
		for (Endpoint endpoint : ENDPOINTS) {
			for (Role role : Role.values()) {
				int expected = endpoint.expected()[role.ordinal()];
				String shown = expected == LOGIN ? "302 → /login" : Integer.toString(expected);
				rows.add(Arguments.of(String.format("%-9s %-6s %s → %s", role, endpoint.method(), endpoint.pattern(), shown),
						endpoint, role));
			}
		}
		return rows.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void matrix(String name, Endpoint endpoint, Role role) throws Exception {
		int expected = endpoint.expected()[role.ordinal()];
		boolean allowed = expected != 401 && expected != 403 && expected != LOGIN;
		MockHttpServletRequestBuilder builder = endpoint.req().build(this, allowed);
		Counts before = counts();

		MockHttpServletResponse response = endpoint.page() ? page(builder, role) : api(builder, role, endpoint);

		String body = response.getContentAsString(StandardCharsets.UTF_8);
		if (expected == LOGIN) {
			assertThat(response.getStatus()).as(name).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).as(name).endsWith("/login");
		}
		else {
			assertThat(response.getStatus()).as("%s: %s", name, body).isEqualTo(expected);
		}
		if (!allowed || expected >= 400) {
			assertThat(counts()).as("%s changed nothing", name).isEqualTo(before);
		}
		if (!endpoint.page() && (expected == 401 || expected == 403)) {
			assertThat(response.getContentType()).as(name).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		}
		if (endpoint.page() && expected == 403) {
			// A page is refused with the HTML error page (or the container's), never the API's JSON.
			assertThat(String.valueOf(response.getContentType())).as(name).doesNotContain("json");
		}
		if (!endpoint.page() && role != Role.ANONYMOUS) {
			assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).as("%s: the API keeps no session", name).isNull();
		}
	}

	@Test
	void everyEndpointIsInTheMatrix() {
		Set<String> inMatrix = new TreeSet<>();
		ENDPOINTS.forEach(e -> inMatrix.add(e.key()));
		Set<String> mapped = new TreeSet<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
			if (!entry.getValue().getBeanType().getPackageName().startsWith("com.leadflow")) {
				continue;
			}
			Set<String> methods = new TreeSet<>();
			entry.getKey().getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
			for (String pattern : entry.getKey().getPatternValues()) {
				for (String method : methods.isEmpty() ? Set.of("GET") : methods) {
					if (method.equals("GET") || pattern.startsWith("/api/")) {
						mapped.add(method + " " + pattern);
					}
				}
			}
		}
		assertThat(inMatrix).as("every API endpoint and every page of Leadflow has a row in the matrix").containsAll(mapped);
	}

	// ------------------------------------------------------------------------------------ CSRF

	/** Every form a page posts, found in the application's mappings, plus Spring Security's login and logout. */
	static List<String> pagePosts(RequestMappingHandlerMapping mappings) {
		Set<String> posts = new TreeSet<>(List.of("/login", "/logout"));
		mappings.getHandlerMethods().forEach((info, handler) -> {
			if (handler.getBeanType().getPackageName().startsWith("com.leadflow")
					&& info.getMethodsCondition().getMethods().stream().anyMatch(m -> m != org.springframework.web.bind.annotation.RequestMethod.GET)) {
				info.getPatternValues().stream().filter(p -> !p.startsWith("/api/")).forEach(posts::add);
			}
		});
		return List.copyOf(posts);
	}

	@Test
	void everyPageFormNeedsTheCsrfToken() throws Exception {
		List<String> forms = pagePosts(mappings);
		assertThat(forms).contains("/intake", "/actions/{id}/complete", "/dashboard/reviews", "/audit/reassign");
		for (String pattern : forms) {
			if (pattern.equals("/unsubscribe")) {
				continue; // checked below: public, and RFC 8058 one-click posts come from mail clients without a token
			}
			String path = pattern.replaceAll("\\{[^}]+}", "x");
			MockHttpSession session = login("admin");
			Counts before = counts();
			MockHttpServletResponse refused = mvc.perform(post(path).session(session).param("note", "csrf")).andReturn().getResponse();
			assertThat(refused.getStatus()).as("POST %s without the CSRF token", pattern).isEqualTo(403);
			assertThat(counts()).as("POST %s without the CSRF token changed nothing", pattern).isEqualTo(before);
			if (!pattern.equals("/logout") && !pattern.equals("/login")) {
				// The same post with the token passes the filters: the 403 above was the missing token.
				MockHttpServletResponse passed = mvc.perform(post(path).session(session).with(csrf()).param("note", "csrf").param("from", "not-a-date"))
					.andReturn()
					.getResponse();
				assertThat(passed.getStatus()).as("POST %s with the CSRF token", pattern).isNotIn(401, 403).isLessThan(500);
			}
		}
	}

	@Test
	void repsCannotWorkOtherRepsActionsThroughThePagesEither() throws Exception {
		Counts before = counts();
		MockHttpServletResponse response = mvc.perform(post("/actions/{id}/complete", fixture.actionId()).session(session(Role.REP2))
			.with(csrf())
			.param("outcome", "NO_ANSWER")).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(counts()).isEqualTo(before);
		assertThat(jdbcTemplate.queryForObject("SELECT status FROM lf_next_action WHERE id = ?", String.class, fixture.actionId()))
			.isEqualTo("OPEN");
	}

	@Test
	void theOneClickUnsubscribeNeedsNoTokenButAValidSignature() throws Exception {
		// RFC 8058: the mail client posts without a session or a token; the signature is what protects it.
		Counts before = counts();
		MockHttpServletResponse forged = mvc.perform(post("/unsubscribe").param("List-Unsubscribe", "One-Click")
			.param("lead", fixture.leadId())
			.param("sig", "forged")).andReturn().getResponse();
		assertThat(forged.getStatus()).isEqualTo(400);
		assertThat(counts()).isEqualTo(before);
		assertThat(lead(fixture.leadId()).get("doNotContact").asBoolean()).isFalse();
	}

	// ------------------------------------------------------------------------------------ health details

	/**
	 * Health is public, its details are not: anonymous callers and roles other than managers and
	 * admins get the overall status only (no components, no SMTP host, no outbox counts).
	 */
	@ParameterizedTest(name = "{0}")
	@org.junit.jupiter.params.provider.EnumSource(Role.class)
	void healthDetailsOnlyForManagersAndAdmins(Role role) throws Exception {
		boolean sees = role == Role.MANAGER || role == Role.ADMIN;
		for (String path : List.of("/actuator/health", "/actuator/health/mail")) {
			MockHttpServletRequestBuilder request = get(path);
			if (role.user != null) {
				request = request.with(httpBasic(role.user, role.user));
			}
			MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
			String body = response.getContentAsString(StandardCharsets.UTF_8);
			if (sees) {
				assertThat(response.getStatus()).as("%s %s: %s", role, path, body).isEqualTo(200);
				JsonNode health = json.readTree(body);
				JsonNode mail = path.endsWith("/mail") ? health : health.at("/components/mail");
				assertThat(mail.at("/details/sink").asText()).as("%s %s: %s", role, path, body).isEqualTo("smtp");
				assertThat(mail.at("/details/outbox").isObject()).as("%s %s", role, path).isTrue();
			}
			else {
				// The root answers with the overall status; a component is not found for those who may not see it.
				assertThat(response.getStatus()).as("%s %s: %s", role, path, body).isEqualTo(path.endsWith("/mail") ? 404 : 200);
				assertThat(body).as("%s %s", role, path).doesNotContain("details", "components", "smtp", "backlog", "127.0.0.1");
			}
		}
	}

	// ------------------------------------------------------------------------------------ headers, sessions, passwords

	@ParameterizedTest(name = "{0} as {1}")
	@org.junit.jupiter.params.provider.CsvSource({ "/inbox, rep1", "/leads/{lead}, rep1", "/dashboard, manager",
			"/audit, manager", "/intake, marketing", "/actions/{action}/form, rep1" })
	void pagesSendSecurityHeadersAndAreNotCached(String pattern, String user) throws Exception {
		String path = pattern.replace("{lead}", fixture.leadId()).replace("{action}", fixture.actionId());
		MockHttpServletResponse response = mvc.perform(get(path).session(login(user))).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("text/html");
		assertThat(response.getHeader("Content-Security-Policy")).contains("default-src 'self'")
			.contains("script-src 'self'")
			.contains("object-src 'none'")
			.contains("frame-ancestors 'none'")
			.doesNotContain("unsafe-eval");
		assertThat(response.getHeader("Content-Security-Policy")).doesNotContainPattern("script-src[^;]*unsafe-inline");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
		assertThat(response.getHeader("Referrer-Policy")).isEqualTo("same-origin");
		assertThat(response.getHeader(HttpHeaders.CACHE_CONTROL)).contains("no-store");
	}

	@Test
	void apiAnswersAreNotCachedOrSniffed() throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/api/leads/{id}", fixture.leadId()).with(httpBasic("rep1", "rep1")))
			.andReturn()
			.getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getHeader(HttpHeaders.CACHE_CONTROL)).contains("no-store");
	}

	@Test
	void passwordsAreStoredSaltedAndHashed() {
		Map<String, Object> row = jdbcTemplate.queryForMap("SELECT PWD_, SALT_ FROM ACT_ID_USER WHERE ID_ = ?", "rep1");
		String hash = (String) row.get("PWD_");
		String salt = (String) row.get("SALT_");
		assertThat(hash).isNotBlank().isNotEqualTo("rep1").doesNotContain("rep1");
		assertThat(hash).as("the hash names its algorithm").startsWith("{SHA-512}");
		assertThat(salt).as("salt").isNotBlank();
		// Two users with the same password get different hashes: the salt is per user.
		String other = freshRep("salt");
		identityService.saveUser(withPassword(other, "rep1"));
		String otherHash = jdbcTemplate.queryForObject("SELECT PWD_ FROM ACT_ID_USER WHERE ID_ = ?", String.class, other);
		assertThat(otherHash).isNotEqualTo(hash);
	}

	private org.camunda.bpm.engine.identity.User withPassword(String userId, String password) {
		org.camunda.bpm.engine.identity.User user = identityService.createUserQuery().userId(userId).singleResult();
		user.setPassword(password);
		return user;
	}

	@Test
	void sessionsExpireAndEndAtLogout() throws Exception {
		Duration timeout = environment.getProperty("server.servlet.session.timeout", Duration.class);
		assertThat(timeout).as("server.servlet.session.timeout").isNotNull().isPositive().isLessThanOrEqualTo(Duration.ofHours(8));
		assertThat(environment.getProperty("server.servlet.session.cookie.http-only", Boolean.class)).isTrue();

		MockHttpSession session = login("rep1");
		assertThat(mvc.perform(get("/inbox").session(session)).andReturn().getResponse().getStatus()).isEqualTo(200);
		MockHttpServletResponse logout = mvc.perform(post("/logout").session(session).with(csrf())).andReturn().getResponse();
		assertThat(logout.getStatus()).isEqualTo(302);
		assertThat(logout.getRedirectedUrl()).isEqualTo("/login?logout");
		assertThat(session.isInvalid()).as("the session is invalidated at logout").isTrue();
		assertThat(logout.getCookie("JSESSIONID")).isNotNull();
		assertThat(logout.getCookie("JSESSIONID").getMaxAge()).as("the session cookie is deleted").isZero();
		MockHttpServletResponse after = mvc.perform(get("/inbox").session(session)).andReturn().getResponse();
		assertThat(after.getStatus()).isEqualTo(302);
		assertThat(after.getRedirectedUrl()).endsWith("/login");
	}

	@Test
	void aWrongPasswordIsRefusedOnTheApiAndOnTheLoginForm() throws Exception {
		// A fresh user: Camunda locks a user for a while after a failed login, the demo users are shared.
		String user = freshRep("wrongpw");
		Counts before = counts();
		MockHttpServletResponse api = mvc.perform(post("/api/leads").with(httpBasic(user, "not-" + user))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsBytes(leadBody("NURTURE", "rep1")))).andReturn().getResponse();
		assertThat(api.getStatus()).isEqualTo(401);
		assertThat(api.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(api.getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
		assertThat(counts()).isEqualTo(before);
		MvcResult form = mvc.perform(formLogin("/login").user(user).password("not-" + user)).andReturn();
		assertThat(form.getResponse().getRedirectedUrl()).isEqualTo("/login?error");
	}

	@Test
	void swaggerUiReadsTheApiDocumentWithThePageSessionNotASecondLogin() throws Exception {
		MvcResult login = mvc.perform(formLogin("/login").user("rep1").password(password("rep1"))).andReturn();
		MockHttpSession session = (MockHttpSession) login.getRequest().getSession(false);
		assertThat(session).isNotNull();

		for (String doc : List.of("/v3/api-docs/swagger-config", "/v3/api-docs")) {
			MockHttpServletResponse withSession = mvc.perform(get(doc).session(session)).andReturn().getResponse();
			assertThat(withSession.getStatus()).as(doc).isEqualTo(200);
			MockHttpServletResponse anonymous = mvc.perform(get(doc)).andReturn().getResponse();
			assertThat(anonymous.getStatus()).as(doc).isEqualTo(401);
			assertThat(anonymous.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		}
		// Basic authentication keeps working for tools and creates no session.
		MockHttpServletResponse basic = mvc.perform(get("/v3/api-docs").with(httpBasic("rep1", password("rep1"))))
			.andReturn().getResponse();
		assertThat(basic.getStatus()).isEqualTo(200);
		assertThat(basic.getCookie("JSESSIONID")).isNull();
		// The session is not a way around the API's stateless Basic authentication.
		assertThat(mvc.perform(get("/api/inbox").session(session)).andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	// ------------------------------------------------------------------------------------ helpers

	static String actionOf(JsonNode lead) {
		return lead.get("nextAction").get("id").asText();
	}

	String freshLeadOfRep1() throws Exception {
		return createLead("NURTURE", "rep1").get("id").asText();
	}

	MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder builder, Object body) throws Exception {
		return builder.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsBytes(body));
	}

	/** Everything a refused request must leave as it was. */
	record Counts(long leads, long events, long actions, long openActions, long targets, long reviews, long imports,
			long auditRuns) {
	}

	Counts counts() {
		return jdbcTemplate.queryForObject("SELECT (SELECT COUNT(*) FROM lf_lead), (SELECT COUNT(*) FROM lf_lead_event), "
				+ "(SELECT COUNT(*) FROM lf_next_action), (SELECT COUNT(*) FROM lf_next_action WHERE status = 'OPEN'), "
				+ "(SELECT COUNT(*) FROM lf_kpi_target), (SELECT COUNT(*) FROM lf_kpi_review), (SELECT COUNT(*) FROM lf_import), "
				+ "(SELECT COUNT(*) FROM lf_audit_run)", (rs, n) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3),
						rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
	}

	long count(String table) {
		return jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
	}

	MockHttpServletResponse api(MockHttpServletRequestBuilder builder, Role role, Endpoint endpoint) throws Exception {
		if (role.user != null) {
			builder = builder.with(httpBasic(role.user, role.user));
		}
		if (endpoint.pattern().startsWith("/engine-rest")) {
			return engineRest(builder.accept(MediaType.APPLICATION_JSON));
		}
		return mvc.perform(builder).andReturn().getResponse();
	}

	MockHttpServletResponse page(MockHttpServletRequestBuilder builder, Role role) throws Exception {
		if (role.user != null) {
			builder = builder.session(session(role));
		}
		return mvc.perform(builder.accept(MediaType.TEXT_HTML)).andReturn().getResponse();
	}

	MockHttpSession session(Role role) throws Exception {
		synchronized (SESSIONS) {
			MockHttpSession session = SESSIONS.get(role);
			if (session == null || session.isInvalid()) {
				session = login(role.user);
				SESSIONS.put(role, session);
			}
			return session;
		}
	}

	/** A page session through the real login form (demo users: password = user id). */
	MockHttpSession login(String user) throws Exception {
		MvcResult result = mvc.perform(formLogin("/login").user(user).password(user)).andReturn();
		assertThat(result.getResponse().getRedirectedUrl()).as("login of %s", user).isNotEqualTo("/login?error");
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	/**
	 * /engine-rest is served by the REST starter's Jersey servlet, which MockMvc does not reach: the
	 * request goes through the application's security filter chain into that servlet.
	 */
	MockHttpServletResponse engineRest(MockHttpServletRequestBuilder builder) throws Exception {
		Servlet jersey = context.getBeansOfType(ServletRegistrationBean.class)
			.values()
			.stream()
			.filter(registration -> registration.getUrlMappings().contains("/engine-rest/*"))
			.map(ServletRegistrationBean::getServlet)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no servlet registered for /engine-rest/*"));
		synchronized (jersey) {
			if (jersey.getServletConfig() == null) {
				jersey.init(new MockServletConfig(context.getServletContext(), "jersey"));
			}
		}
		MockHttpServletRequest request = builder.buildRequest(context.getServletContext());
		request = builder.postProcessRequest(request);
		MockHttpServletResponse response = new MockHttpServletResponse();
		new MockFilterChain(jersey, securityFilters).doFilter(request, response);
		return response;
	}

}
