package com.leadflow.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The benchmark's HTTP client: Basic auth for the API, a logged-in session for pages. */
final class Http {

	private final HttpClient client;

	private final String base;

	Http(int port, int threads) {
		this.base = "http://127.0.0.1:" + port;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.executor(java.util.concurrent.Executors.newFixedThreadPool(Math.max(2, threads)))
			.build();
	}

	static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
	}

	HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Authorization", basic(user))
			.header("Accept", "application/json")
			.timeout(Duration.ofMinutes(5))
			.GET()
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> postJson(String path, String user, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Authorization", basic(user))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.timeout(Duration.ofMinutes(5))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> postCsv(String path, String user, Path file) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Authorization", basic(user))
			.header("Content-Type", "text/csv; charset=UTF-8")
			.header("Accept", "application/json")
			.timeout(Duration.ofMinutes(10))
			.POST(HttpRequest.BodyPublishers.ofFile(file))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> check(HttpResponse<String> response, int... expected) {
		for (int status : expected) {
			if (response.statusCode() == status) {
				return response;
			}
		}
		String body = response.body();
		throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
				+ response.statusCode() + ": " + (body.length() > 500 ? body.substring(0, 500) : body));
	}

	/** A browser-like session: form login (with the CSRF token of the login page), then pages with the cookie. */
	final class Session {

		private final HttpClient browser;

		Session(String user) throws IOException, InterruptedException {
			this.browser = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.cookieHandler(new CookieManager())
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
			HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login.body());
			String csrf = m.find() ? m.group(1) : null;
			if (csrf == null) {
				Matcher m2 = Pattern.compile("value=\"([^\"]+)\"[^>]*name=\"_csrf\"").matcher(login.body());
				csrf = m2.find() ? m2.group(1) : "";
			}
			String form = "username=" + enc(user) + "&password=" + enc(user) + "&_csrf=" + enc(csrf);
			HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
			String location = done.headers().firstValue("Location").orElse("");
			if (done.statusCode() != 302 || location.contains("error")) {
				throw new IllegalStateException("form login of " + user + " failed: " + done.statusCode() + " " + location);
			}
		}

		HttpResponse<String> get(String path) throws IOException, InterruptedException {
			return browser.send(HttpRequest.newBuilder(URI.create(base + path)).GET().timeout(Duration.ofMinutes(5)).build(),
					HttpResponse.BodyHandlers.ofString());
		}

	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
