package com.leadflow.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the cluster as an integration would be one: HTTP Basic, a timeout on every request,
 * and on a timeout, a connection error or a 5xx the same request again on the next node (after a
 * short pause), until it gets a definite answer. It relies on the API's idempotency only: a retried
 * {@code POST /api/leads} carries the same {@code externalId}, so a lead committed by a request whose
 * answer was lost is found, not created again.
 */
final class ClusterClient implements AutoCloseable {

	private final List<LeadflowNode> nodes;

	private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
		Thread t = new Thread(r, "cluster-client");
		t.setDaemon(true);
		return t;
	});

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.executor(executor)
		.build();

	private final Duration timeout;

	private final Duration giveUpAfter;

	final AtomicLong requests = new AtomicLong();

	final AtomicLong retries = new AtomicLong();

	final AtomicLong timeouts = new AtomicLong();

	final AtomicLong connectionErrors = new AtomicLong();

	final AtomicLong serverErrors = new AtomicLong();

	ClusterClient(List<LeadflowNode> nodes, Duration timeout, Duration giveUpAfter) {
		this.nodes = nodes;
		this.timeout = timeout;
		this.giveUpAfter = giveUpAfter;
	}

	record Answer(int status, String body, int attempts, String node) {
	}

	/**
	 * Sends the request to node {@code first} (index, modulo the nodes), failing over to the next one on
	 * timeouts, connection errors and 5xx; returns the first other answer (2xx, 4xx).
	 */
	Answer send(String method, String path, String user, String contentType, String body, int first) {
		long deadline = System.nanoTime() + giveUpAfter.toNanos();
		String lastProblem = "";
		for (int attempt = 1;; attempt++) {
			LeadflowNode node = nodes.get(Math.floorMod(first + attempt - 1, nodes.size()));
			requests.incrementAndGet();
			if (attempt > 1) {
				retries.incrementAndGet();
			}
			try {
				HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
					.timeout(timeout)
					.header("Authorization", basic(user))
					.header("Accept", "application/json");
				if (body == null) {
					request.method(method, HttpRequest.BodyPublishers.noBody());
				}
				else {
					request.header("Content-Type", contentType)
						.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
				}
				HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() < 500) {
					return new Answer(response.statusCode(), response.body(), attempt, node.name());
				}
				serverErrors.incrementAndGet();
				lastProblem = node.name() + " answered " + response.statusCode() + ": " + abbreviate(response.body());
			}
			catch (HttpTimeoutException ex) {
				timeouts.incrementAndGet();
				lastProblem = node.name() + ": " + ex;
			}
			catch (IOException ex) {
				connectionErrors.incrementAndGet();
				lastProblem = node.name() + ": " + ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(method + " " + path + " gave up after " + attempt + " attempts: " + lastProblem);
			}
			// Both nodes may be away for a moment (one killed, the other busy): back off a little.
			LeadflowNode.sleep(Math.min(1000, 50L * attempt));
		}
	}

	Answer postJson(String path, String user, String json, int first) {
		return send("POST", path, user, "application/json", json, first);
	}

	Answer get(String path, String user, int first) {
		return send("GET", path, user, null, null, first);
	}

	static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
	}

	private static String abbreviate(String text) {
		return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
	}

	String figures() {
		return "requests=" + requests + " retries=" + retries + " (timeouts=" + timeouts + ", connection errors="
				+ connectionErrors + ", 5xx=" + serverErrors + ")";
	}

	void resetFigures() {
		requests.set(0);
		retries.set(0);
		timeouts.set(0);
		connectionErrors.set(0);
		serverErrors.set(0);
	}

	@Override
	public void close() {
		executor.shutdownNow();
	}

}
