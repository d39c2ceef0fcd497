package com.leadflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.LeadflowApplication;
import com.leadflow.common.DatabaseOutage;
import com.leadflow.testsupport.StoppableMariaDb;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue #9, "the database stopped for 30 s under load and started again": Leadflow on its own
 * embedded MariaDB (not the suite's shared one), in process on a random port, with client threads
 * posting leads through {@code POST /api/leads} the way API.md tells integrations to (retry with
 * the same {@code externalId} on 503 or a lost answer). The database is stopped for 30 s and
 * started again, and the test holds:
 * <ul>
 * <li>every answer while the database is away is a 503 problem detail with {@code Retry-After},
 * within a few seconds (the pool's connection-timeout), never a 500, a 401 or a hang; also for a
 * page login, a read, and Camunda's engine REST API ({@code /engine-rest}, Jersey: its own exception
 * mappers, and the HTTP Basic check in front of it);</li>
 * <li>the application recovers by itself (no restart): requests succeed again soon after the
 * database is back;</li>
 * <li>every lead acknowledged with 2xx, before or after the outage, is there exactly once, with
 * one lead process and exactly one open next action; no lead exists twice.</li>
 * </ul>
 * Prints one line starting with {@code [reliability]} with the figures.
 */
class DatabaseOutageIT {

	static final Duration OUTAGE = Duration.ofSeconds(30);

	static final Duration BEFORE = Duration.ofSeconds(8);

	static final Duration AFTER = Duration.ofSeconds(8);

	static final int CLIENTS = 4;

	/** A client gives up on an answer after this long: that would be a hang. */
	static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

	/** The longest a 503 may take: the pool's connection-timeout (5 s) plus slack for a loaded machine. */
	static final Duration MAX_OUTAGE_LATENCY = Duration.ofSeconds(10);

	final ObjectMapper json = new ObjectMapper();

	final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	String base;

	/** One request as a client saw it. */
	record Attempt(String externalId, Instant start, Instant end, int status, String contentType, String retryAfter,
			String body, String error) {

		Duration latency() {
			return Duration.between(start, end);
		}

		boolean acknowledged() {
			return status == 200 || status == 201;
		}

	}

	final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

	/** externalId → lead id of every lead the API acknowledged with 2xx. */
	final Map<String, String> acknowledged = new ConcurrentHashMap<>();

	final AtomicBoolean stopping = new AtomicBoolean();

	@Test
	void requestsDuringADatabaseOutageGet503FastTheAppRecoversByItselfAndNoAcknowledgedLeadIsLostOrDuplicated()
			throws Exception {
		long testStart = System.nanoTime();
		try (StoppableMariaDb db = StoppableMariaDb.start("outage-db");
				ConfigurableApplicationContext app = startApplication(db)) {
			base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");

			List<Thread> clients = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				Thread client = new Thread(this::postLeads, "outage-client-" + i);
				client.start();
				clients.add(client);
			}
			// Load before the stop: at least BEFORE, and until the clients are past their warm-up.
			Thread.sleep(BEFORE.toMillis());
			long warmUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (acknowledged.size() < 10 && System.nanoTime() < warmUp) {
				Thread.sleep(200);
			}
			int acknowledgedBefore = acknowledged.size();
			assertThat(acknowledgedBefore).as("leads acknowledged before the outage; answers: %s", statusCounts()).isPositive();

			// /engine-rest answers before the stop; this also leaves admin's login in the credentials cache (60 s), so the
			// first call during the outage passes Spring Security and fails inside Camunda's REST API.
			assertThat(engineRestProcessInstanceCount()).as("running process instances before the outage").isPositive();

			// ---- the outage
			db.stop();
			Instant down = Instant.now();
			// Alongside the other probes, so that all of them fit in the outage.
			CompletableFuture<List<Attempt>> engineRest = CompletableFuture.supplyAsync(this::engineRestProbesDuringTheOutage);
			List<Attempt> probes = concat(probesDuringTheOutage(), engineRest.get(3 * CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
			long wait = Duration.between(Instant.now(), down.plus(OUTAGE)).toMillis();
			if (wait > 0) {
				Thread.sleep(wait);
			}
			Instant restarting = Instant.now();
			db.start();
			Instant up = Instant.now();

			// ---- recovery: no restart of the application, the pool reconnects by itself
			Instant recovered = null;
			long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
			while (recovered == null && System.nanoTime() < deadline) {
				recovered = attemptsSnapshot().stream()
					.filter(a -> a.acknowledged() && a.start().isAfter(up))
					.map(Attempt::end)
					.min(Instant::compareTo)
					.orElse(null);
				Thread.sleep(200);
			}
			assertThat(recovered).as("a lead was acknowledged after the database came back").isNotNull();
			Thread.sleep(AFTER.toMillis());
			stopping.set(true);
			for (Thread client : clients) {
				client.join(CLIENT_TIMEOUT.plusSeconds(10).toMillis());
				assertThat(client.isAlive()).as("%s ended", client.getName()).isFalse();
			}

			// ---- what the clients saw
			List<Attempt> all = attemptsSnapshot();
			List<Attempt> during = all.stream()
				.filter(a -> !a.start().isBefore(down) && !a.end().isAfter(restarting))
				.toList();
			assertThat(during).as("requests while the database was stopped").hasSizeGreaterThanOrEqualTo(CLIENTS);
			for (Attempt a : concat(during, probes)) {
				assertThat(a.error()).as("no hang or broken answer: %s", a).isNull();
				assertThat(a.status()).as("during the outage: %s", a).isEqualTo(503);
				assertThat(a.retryAfter()).as("Retry-After: %s", a).isNotBlank();
				assertThat(a.latency()).as("answered fast: %s", a).isLessThan(MAX_OUTAGE_LATENCY);
			}
			for (Attempt a : during) {
				assertThat(a.contentType()).as("a problem detail: %s", a).startsWith("application/problem+json");
				assertThat(json.readTree(a.body()).get("status").asInt()).isEqualTo(503);
			}
			List<Attempt> others = all.stream().filter(a -> a.error() != null || !List.of(200, 201, 503).contains(a.status())).toList();
			assertThat(others).as("every answer is 2xx or 503, never a 500, 401 or a hang").isEmpty();
			Duration maxLatencyDuring = during.stream().map(Attempt::latency).max(Duration::compareTo).orElseThrow();

			// ---- nothing lost, nothing twice
			int verified = verify(db);
			assertThat(acknowledged.size()).isGreaterThan(acknowledgedBefore);
			// /engine-rest is back too, and counts every acknowledged lead's process (verify found each one running).
			assertThat(engineRestProcessInstanceCount()).as("running process instances after the outage")
				.isGreaterThanOrEqualTo(acknowledged.size());

			long ok = all.stream().filter(Attempt::acknowledged).count();
			long unavailable = all.stream().filter(a -> a.status() == 503).count();
			System.out.printf(
					"[reliability] database outage: %d s stopped under %d clients; requests sent %d, 2xx %d, 503 seen %d "
							+ "(%d while stopped), other statuses %d; max latency during outage %d ms; recovered %.1f s after "
							+ "the database was up (restart took %.1f s); leads verified %d (%d acknowledged before the stop); "
							+ "test took %d s%n",
					OUTAGE.toSeconds(), CLIENTS, all.size() + probes.size(), ok, unavailable + probes.size(),
					during.size() + probes.size(), others.size(), maxLatencyDuring.toMillis(),
					Duration.between(up, recovered).toMillis() / 1000.0, Duration.between(restarting, up).toMillis() / 1000.0,
					verified, acknowledgedBefore, Duration.ofNanos(System.nanoTime() - testStart).toSeconds());
		}
	}

	// ---------------------------------------------------------------- the application

	ConfigurableApplicationContext startApplication(StoppableMariaDb db) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", 0);
		properties.put("spring.datasource.url", db.jdbcUrl());
		properties.put("spring.datasource.username", "root");
		properties.put("spring.datasource.password", "");
		// The demo users (marketing, manager) but not the 60 seeded leads; no Cockpit (not under test here).
		properties.put("leadflow.demo-data.enabled", false);
		properties.put("camunda.bpm.webapp.enabled", false);
		// Its own engine name: closing this application unregisters its engine from Camunda's JVM-wide registry, which
		// must not take the suite's shared contexts' engine ("default", served by /engine-rest) with it.
		properties.put("camunda.bpm.process-engine-name", "outage");
		properties.put("leadflow.mail.file-sink-dir", "target/outage-mail");
		properties.put("leadflow.import.worker-enabled", false);
		// The job executor keeps running (it must survive the outage too) but need not log every failed acquisition.
		properties.put("logging.level.org.camunda.bpm.engine.jobexecutor", "error");
		properties.put("logging.level.org.camunda.bpm.engine.context", "error");
		properties.put("logging.level.org.camunda.bpm.engine.persistence", "error");
		properties.put("logging.level.org.camunda.bpm.engine.cmd", "error");
		properties.put("logging.level.com.zaxxer.hikari", "error");
		// As command-line arguments: they win over application.yml (builder properties would be mere defaults).
		String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		return new SpringApplicationBuilder(LeadflowApplication.class).profiles("mysql", "demo").run(args);
	}

	// ---------------------------------------------------------------- the clients

	/** One client: posts new leads, and retries a lead with the same externalId until it is acknowledged. */
	void postLeads() {
		while (!stopping.get()) {
			String externalId = "outage-" + UUID.randomUUID();
			byte[] body = leadBody(externalId);
			while (!stopping.get()) {
				Attempt attempt = post(externalId, body);
				attempts.add(attempt);
				if (attempt.acknowledged()) {
					try {
						acknowledged.put(externalId, json.readTree(attempt.body()).get("id").asText());
					}
					catch (Exception ex) {
						throw new IllegalStateException("2xx without a lead: " + attempt, ex);
					}
					break;
				}
				if (attempt.status() != 503 && attempt.error() == null) {
					break; // another answer: recorded, and the test fails on it
				}
				pause(500); // Retry-After asks for 5 s; the test keeps up the pressure
			}
		}
	}

	byte[] leadBody(String externalId) {
		Map<String, Object> lead = new LinkedHashMap<>();
		lead.put("externalId", externalId);
		lead.put("route", "NURTURE");
		lead.put("company", "株式会社障害試験 " + externalId.substring(7, 15));
		lead.put("contactName", "山田 太郎");
		lead.put("email", externalId + "@example.co.jp");
		lead.put("timeZone", "Asia/Tokyo");
		try {
			return json.writeValueAsBytes(lead);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	Attempt post(String externalId, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/leads"))
			.timeout(CLIENT_TIMEOUT)
			.header("Authorization", basic("marketing"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return send(externalId, request);
	}

	Attempt send(String externalId, HttpRequest request) {
		Instant start = Instant.now();
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			return new Attempt(externalId, start, Instant.now(), response.statusCode(),
					response.headers().firstValue("Content-Type").orElse(""),
					response.headers().firstValue("Retry-After").orElse(null), response.body(), null);
		}
		catch (Exception ex) {
			return new Attempt(externalId, start, Instant.now(), -1, "", null, "", ex.toString());
		}
	}

	/** While the database is away: a read through the API and a page login get the same fast 503. */
	List<Attempt> probesDuringTheOutage() throws Exception {
		String someLead = acknowledged.values().iterator().next();
		Attempt read = send(null, HttpRequest.newBuilder(URI.create(base + "/api/leads/" + someLead))
			.timeout(CLIENT_TIMEOUT)
			.header("Authorization", basic("manager"))
			.GET()
			.build());
		assertThat(read.contentType()).as("%s", read).startsWith("application/problem+json");
		// A page login cannot be checked: the "unavailable" page, not "wrong password" (a redirect to /login?error).
		String form = loginForm();
		Attempt login = send(null, HttpRequest.newBuilder(URI.create(base + "/login"))
			.timeout(CLIENT_TIMEOUT)
			.header("Cookie", sessionCookie)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
		assertThat(login.contentType()).as("%s", login).startsWith("text/html");
		assertThat(login.body()).as("%s", login).contains("503");
		// Health says the node cannot serve (the database is DOWN): 503 for the load balancer.
		Attempt health = send(null, HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
			.timeout(CLIENT_TIMEOUT)
			.GET()
			.build());
		assertThat(health.status()).as("%s", health).isEqualTo(503);
		assertThat(health.latency()).as("health answers within the pool's wait plus mail's bounded one: %s", health)
			.isLessThan(MAX_OUTAGE_LATENCY);
		return List.of(read, login);
	}

	/** Camunda's REST API of this application's engine (named: the JVM may hold the suite's "default" one too). */
	static final String ENGINE_REST_COUNT = "/engine-rest/engine/outage/process-instance/count";

	HttpRequest engineRestCount(String password) {
		return HttpRequest.newBuilder(URI.create(base + ENGINE_REST_COUNT))
			.timeout(CLIENT_TIMEOUT)
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
			.header("Accept", "application/json")
			.GET()
			.build();
	}

	/** {@code GET /engine-rest/.../process-instance/count} as the demo admin (camunda-admin): 200 and the count. */
	long engineRestProcessInstanceCount() throws Exception {
		Attempt count = send(null, engineRestCount("admin"));
		assertThat(count.status()).as("%s", count).isEqualTo(200);
		return json.readTree(count.body()).get("count").asLong();
	}

	/**
	 * While the database is away, Camunda's engine REST API answers the same 503 problem detail as
	 * Leadflow's API: first with admin's login in the credentials cache (Spring Security lets it
	 * through, the engine's query fails, Leadflow's exception mapper of the Jersey application
	 * answers), then with a password the cache does not know (the identity service cannot check it:
	 * the Basic entry point answers 503, not 401). After the second, admin's cache entry is gone, so
	 * admin's own password is checked against the database too: 503 again.
	 */
	List<Attempt> engineRestProbesDuringTheOutage() {
		Attempt engine = send(null, engineRestCount("admin"));
		Attempt uncheckable = send(null, engineRestCount("not-admins-password"));
		Attempt uncached = send(null, engineRestCount("admin"));
		for (Attempt a : List.of(engine, uncheckable, uncached)) {
			assertThat(a.status()).as("/engine-rest during the outage: %s", a).isEqualTo(503);
			assertThat(a.retryAfter()).as("%s", a).isEqualTo(Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
			assertThat(a.contentType()).as("%s", a).startsWith("application/problem+json");
			JsonNode problem = readTree(a.body());
			assertThat(problem.get("status").asInt()).as("%s", a).isEqualTo(503);
			assertThat(problem.get("title").asText()).as("%s", a).isEqualTo("Service Unavailable");
			assertThat(problem.get("detail").asText()).as("%s", a).isEqualTo(DatabaseOutage.DETAIL);
			assertThat(problem.get("instance").asText()).as("%s", a).isEqualTo(ENGINE_REST_COUNT);
		}
		return List.of(engine, uncheckable, uncached);
	}

	/** The login form with its CSRF token, as a browser would post it (the token needs the page's session). */
	String loginForm() throws Exception {
		// The login page renders without the database; its session carries the CSRF token.
		HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		String cookie = page.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';'))).orElse("");
		java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
			.matcher(page.body());
		assertThat(token.find()).as("CSRF token on the login page").isTrue();
		sessionCookie = cookie;
		return "username=manager&password=manager&_csrf=" + token.group(1);
	}

	String sessionCookie = "";

	// ---------------------------------------------------------------- verification

	/** Every acknowledged lead: there once, one lead process, exactly one open next action; no lead twice. */
	int verify(StoppableMariaDb db) throws Exception {
		int verified = 0;
		try (Connection c = db.openConnection()) {
			assertThat(longs(c, "SELECT COUNT(*) FROM (SELECT external_id FROM lf_lead GROUP BY external_id HAVING COUNT(*) > 1) d"))
				.as("externalIds stored twice").isZero();
			assertThat(longs(c, "SELECT COUNT(*) FROM (SELECT LOWER(email) FROM lf_lead WHERE external_id LIKE 'outage-%' "
					+ "GROUP BY LOWER(email) HAVING COUNT(*) > 1) d")).as("emails stored twice").isZero();
			for (Map.Entry<String, String> lead : acknowledged.entrySet()) {
				String id = lead.getValue();
				assertThat(longs(c, "SELECT COUNT(*) FROM lf_lead WHERE external_id = ?", lead.getKey())).as("lead %s", id)
					.isEqualTo(1);
				assertThat(longs(c, "SELECT COUNT(*) FROM lf_lead WHERE id = ? AND external_id = ?", id, lead.getKey()))
					.as("lead %s is the one acknowledged", id).isEqualTo(1);
				assertThat(longs(c, "SELECT COUNT(*) FROM lf_next_action WHERE lead_id = ? AND status = 'OPEN'", id))
					.as("open next actions of lead %s", id).isEqualTo(1);
				assertThat(longs(c, "SELECT COUNT(*) FROM ACT_RU_EXECUTION e JOIN ACT_RE_PROCDEF d ON e.PROC_DEF_ID_ = d.ID_ "
						+ "WHERE e.BUSINESS_KEY_ = ? AND e.ID_ = e.PROC_INST_ID_ AND d.KEY_ = 'lead'", id))
					.as("lead processes of lead %s", id).isEqualTo(1);
				verified++;
			}
			// Leads stored but never acknowledged (the answer was lost) are allowed, once each: the client would
			// have got them with its next retry. Every stored lead of the test has its open next action too.
			assertThat(longs(c, "SELECT COUNT(*) FROM lf_lead l WHERE l.external_id LIKE 'outage-%' AND (SELECT COUNT(*) "
					+ "FROM lf_next_action a WHERE a.lead_id = l.id AND a.status = 'OPEN') <> 1"))
				.as("stored leads without exactly one open next action").isZero();
		}
		// And through the API, as an integration would check: a sample of the leads, each with its next action.
		List<String> ids = new ArrayList<>(acknowledged.values());
		Collections.shuffle(ids);
		for (String id : ids.subList(0, Math.min(25, ids.size()))) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/leads/" + id))
				.header("Authorization", basic("manager"))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			assertThat(response.statusCode()).as("GET /api/leads/%s", id).isEqualTo(200);
			JsonNode lead = json.readTree(response.body());
			assertThat(lead.get("status").asText()).isEqualTo("ACTIVE");
			assertThat(lead.get("nextAction").hasNonNull("id")).as("next action of %s", id).isTrue();
		}
		return verified;
	}

	JsonNode readTree(String body) {
		try {
			return json.readTree(body);
		}
		catch (Exception ex) {
			throw new AssertionError("not JSON: " + body, ex);
		}
	}

	static long longs(Connection c, String sql, Object... params) throws SQLException {
		try (PreparedStatement st = c.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				st.setObject(i + 1, params[i]);
			}
			try (ResultSet rs = st.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	// ---------------------------------------------------------------- helpers

	Map<Object, Long> statusCounts() {
		return attemptsSnapshot().stream()
			.collect(java.util.stream.Collectors.groupingBy(a -> a.error() != null ? a.error() : a.status(),
					java.util.stream.Collectors.counting()));
	}

	List<Attempt> attemptsSnapshot() {
		synchronized (attempts) {
			return new ArrayList<>(attempts);
		}
	}

	static List<Attempt> concat(List<Attempt> a, List<Attempt> b) {
		List<Attempt> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
	}

	static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
