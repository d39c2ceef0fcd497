package com.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.camunda.bpm.engine.IdentityService;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Cockpit, Tasklist and Admin under /camunda are for the camunda-admin group only (Camunda
 * authorizations on): a rep, a manager or marketing cannot log in to them nor use Cockpit's API;
 * an admin can. /engine-rest stays admins-only. A real server with the webapps on (the suite's
 * other contexts leave them off), the demo users on H2.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "camunda.bpm.webapp.enabled=true")
@ActiveProfiles({ "demo", "test" })
class CamundaWebappsIT {

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identityService;

	final ObjectMapper json = new ObjectMapper();

	/** A browser of its own: cookies (session, XSRF-TOKEN) kept between requests. */
	final class Browser {

		final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

		String lastToken;

		final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();

		HttpResponse<String> get(String path) throws Exception {
			return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}

		/** The webapps' login (as their login page posts it, with the CSRF header from the XSRF-TOKEN cookie). */
		/** Camunda's CSRF filter hands out the token on a GET (header X-XSRF-TOKEN and cookie XSRF-TOKEN). */
		String xsrfToken() throws Exception {
			HttpResponse<String> current = get("/camunda/api/admin/auth/user/default");
			return current.headers()
				.firstValue("X-XSRF-TOKEN")
				.orElseGet(() -> cookies.getCookieStore()
					.getCookies()
					.stream()
					.filter(c -> c.getName().equals("XSRF-TOKEN"))
					.map(HttpCookie::getValue)
					.findFirst()
					.orElse(""));
		}

		/** A POST of JSON by the webapps' rules (CSRF header from the XSRF-TOKEN cookie, same-origin headers). */
		HttpResponse<String> postJson(String path, String body) throws Exception {
			String xsrf = xsrfToken();
			return http.send(HttpRequest.newBuilder(uri(path))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.header("X-XSRF-TOKEN", xsrf)
				.header("Origin", "http://127.0.0.1:" + port)
				.header("Referer", "http://127.0.0.1:" + port + "/camunda/app/admin/default/setup/")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> login(String app, String user) throws Exception {
			return login(app, user, user);
		}

		HttpResponse<String> login(String app, String user, String password) throws Exception {
			get("/camunda/app/" + app + "/default/");
			String xsrf = xsrfToken();
			lastToken = xsrf + " cookies=" + cookies.getCookieStore().getCookies();
			String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
					+ URLEncoder.encode(password, StandardCharsets.UTF_8);
			return http.send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default/login/" + app))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "application/json")
				.header("X-XSRF-TOKEN", xsrf)
				// The webapps' CSRF filter also wants the browser's Origin (or Referer) of the same host.
				.header("Origin", "http://127.0.0.1:" + port)
				.header("Referer", "http://127.0.0.1:" + port + "/camunda/app/" + app + "/default/")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

	@Test
	void requestsTomcatRefusesBeforeTheApplicationGetProblemDetailsToo() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("manager:manager".getBytes(StandardCharsets.UTF_8));
		for (String path : java.util.List.of("/api/leads/a%2Fb", "/api/leads/a%5Cb", "/api/leads/..%2F..%2Fetc")) {
			HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", basic).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).as(path).isEqualTo(400);
			assertThat(refused.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/problem+json");
			JsonNode problem = json.readTree(refused.body());
			assertThat(problem.get("status").asInt()).isEqualTo(400);
			assertThat(problem.get("detail").asText()).contains("refused before it reached Leadflow");
			assertThat(refused.body()).doesNotContain("Apache Tomcat").doesNotContain("<html");
		}
		// What the application answers itself is untouched: its own problem details.
		HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri("/api/leads/no-such-lead"))
			.header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(json.readTree(missing.body()).get("detail").asText()).doesNotContain("refused before");
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	@Test
	void onlyAdminsGetIntoCockpitTasklistAndAdmin() throws Exception {
		Browser admin = new Browser();
		HttpResponse<String> adminLogin = admin.login("cockpit", "admin");
		assertThat(adminLogin.statusCode()).as("%s; token %s", adminLogin.body(), admin.lastToken).isEqualTo(200);
		JsonNode authentication = json.readTree(adminLogin.body());
		assertThat(authentication.get("userId").asText()).isEqualTo("admin");
		assertThat(authentication.get("authorizedApps")).extracting(JsonNode::asText).contains("cockpit", "tasklist", "admin");
		HttpResponse<String> statistics = admin.get("/camunda/api/cockpit/plugin/base/default/process-definition/statistics-count");
		assertThat(statistics.statusCode()).as(statistics.body()).isEqualTo(200);
		HttpResponse<String> definitions = admin.get("/camunda/api/engine/engine/default/process-definition?key=lead");
		assertThat(definitions.statusCode()).as(definitions.body()).isEqualTo(200);
		assertThat(json.readTree(definitions.body()).size()).as("the admin sees the lead process").isPositive();

		for (String user : List.of("rep1", "manager", "marketing", "sales1")) {
			for (String app : List.of("cockpit", "tasklist", "admin")) {
				Browser browser = new Browser();
				HttpResponse<String> login = browser.login(app, user);
				assertThat(login.statusCode()).as("%s logging in to %s: %s", user, app, login.body()).isEqualTo(403);
				// Without a login, Cockpit's API and the webapps' engine API refuse.
				HttpResponse<String> cockpit = browser.get("/camunda/api/cockpit/plugin/base/default/process-definition/statistics-count");
				assertThat(cockpit.statusCode()).as("%s on Cockpit's API after logging in to %s", user, app).isIn(401, 403);
				HttpResponse<String> engine = browser.get("/camunda/api/engine/engine/default/process-definition?key=lead");
				assertThat(engine.statusCode()).as("%s on the webapps' engine API", user).isIn(401, 403);
			}
		}
		// The 403s above are the authorization, not the login form: a wrong password is a 401.
		HttpResponse<String> wrong = new Browser().login("cockpit", "marketing", "not-marketing");
		assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
	}

	@Test
	void nobodyCreatesTheFirstAdministratorThroughCamundaAdminsSetup() throws Exception {
		// Camunda Admin offers its first-run setup while the camunda-admin group has no member, as on a
		// fresh database without camunda.bpm.admin-user. Here the demo admin leaves the group for the test.
		identityService.deleteMembership("admin", "camunda-admin");
		try {
			assertThat(identityService.createUserQuery().memberOfGroup("camunda-admin").count()).isZero();
			Browser anonymous = new Browser();
			HttpResponse<String> setup = anonymous.postJson("/camunda/api/admin/setup/default/user/create",
					"{\"profile\":{\"id\":\"intruder\",\"firstName\":\"In\",\"lastName\":\"Truder\",\"email\":"
							+ "\"intruder@example.com\"},\"credentials\":{\"password\":\"Intruder-Passw0rd!\"}}");
			assertThat(setup.statusCode()).as(setup.body()).isEqualTo(403);
			assertThat(identityService.createUserQuery().userId("intruder").count()).as("user created by the setup").isZero();
			assertThat(identityService.createUserQuery().memberOfGroup("camunda-admin").count()).isZero();
			HttpResponse<String> page = anonymous.get("/camunda/app/admin/default/setup/");
			assertThat(page.statusCode()).as("the setup page").isEqualTo(403);
		}
		finally {
			if (identityService.createUserQuery().userId("intruder").count() > 0) {
				identityService.deleteUser("intruder");
			}
			identityService.createMembership("admin", "camunda-admin");
		}
	}

	@Test
	void repsStillCannotReachTheEngineRestApi() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		for (String user : List.of("rep1", "manager")) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/engine-rest/process-definition"))
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes()))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(user).isEqualTo(403);
		}
		HttpResponse<String> admin = http.send(HttpRequest.newBuilder(uri("/engine-rest/process-definition?key=lead"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(admin.statusCode()).isEqualTo(200);
		assertThat(json.readTree(admin.body()).size()).as("engine REST answers the admin in full").isPositive();
	}

}
