package com.leadflow.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Leadflow node as a separate JVM: {@code java -jar target/leadflow-*.jar} (the Spring Boot jar
 * that {@code mvn package} writes before failsafe runs), or, when no jar is there, {@code java -cp
 * target/classes:<the test JVM's dependency class path>}. Profiles {@code mysql,demo} (the demo users,
 * no demo leads), its own HTTP port, the job executor on, the cluster's shared settings given by the
 * caller. Output goes to {@code target/cluster-logs/<name>-<n>.log}, one file per start.
 *
 * <p>{@link #kill9()} is a {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux, so
 * no shutdown hook, no graceful stop of the job executor, no release of claims; the exit status 137
 * (128 + 9) proves it. {@link #start()} after a kill starts the same node again on the same port.
 */
final class LeadflowNode {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("leadflow.cluster.start-timeout", 360));

	private final String name;

	private final int port;

	private final Map<String, String> settings;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private Process process;

	private Path log;

	private int starts;

	LeadflowNode(String name, int port, Map<String, String> settings) {
		this.name = name;
		this.port = port;
		this.settings = new LinkedHashMap<>(settings);
	}

	String name() {
		return name;
	}

	int port() {
		return port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	/** The operating system's process id of the running JVM (it appears in the node's claims: host:pid:random). */
	long pid() {
		return process.pid();
	}

	boolean isAlive() {
		return process != null && process.isAlive();
	}

	Path log() {
		return log;
	}

	/** Starts the JVM and waits until {@code /actuator/health/readiness} answers UP; returns the start-up time. */
	Duration start() {
		if (isAlive()) {
			throw new IllegalStateException(name + " is running already");
		}
		starts++;
		Path logs = targetDir().resolve("cluster-logs");
		try {
			Files.createDirectories(logs);
			if (starts == 1) {
				// This run's logs only: countInLogs and the failure report must not read an earlier run's.
				try (Stream<Path> old = Files.list(logs)) {
					for (Path file : (Iterable<Path>) old.filter(f -> f.getFileName().toString().startsWith(name + "-"))::iterator) {
						Files.deleteIfExists(file);
					}
				}
			}
			log = logs.resolve(name + "-" + starts + ".log");
			Files.deleteIfExists(log);
			ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.directory(targetDir().toFile());
			// The node takes its settings from the command line only.
			builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("LEADFLOW_"));
			long t0 = System.nanoTime();
			process = builder.start();
			try {
				awaitHealthy();
			}
			catch (RuntimeException notUp) {
				// Never leave a half-started node behind (it would hold the port and the database).
				process.destroyForcibly();
				throw notUp;
			}
			return Duration.ofNanos(System.nanoTime() - t0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@code kill -9}: SIGKILL, no shutdown hooks. Waits for the process to be gone and checks that the
	 * signal killed it (exit status 137), not an orderly exit.
	 */
	void kill9() {
		process.destroyForcibly();
		try {
			int status = process.waitFor();
			if (status != 137) {
				throw new IllegalStateException(name + " exited with " + status + " after SIGKILL, expected 137");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Orderly stop (SIGTERM: Spring's shutdown hook), for the end of the suite. */
	void stop() {
		if (!isAlive()) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	/** The last lines of the node's current log (for failure reports). */
	String tail(int lines) {
		if (log == null || !Files.exists(log)) {
			return "(no log)";
		}
		try {
			List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
			return "---- " + log + " (last " + Math.min(lines, all.size()) + " of " + all.size() + " lines) ----\n"
					+ String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(cannot read " + log + ": " + ex + ")";
		}
	}

	/** How often the node's logs (all starts) contain {@code text}. */
	long countInLogs(String text) {
		try (Stream<Path> files = Files.list(targetDir().resolve("cluster-logs"))) {
			return files.filter(f -> f.getFileName().toString().startsWith(name + "-")).mapToLong(f -> {
				try {
					return Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text)).count();
				}
				catch (IOException ex) {
					return 0;
				}
			}).sum();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private void awaitHealthy() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting\n" + tail(80));
			}
			try {
				// Readiness, not the overall health: a node whose SMTP server is away is DEGRADED but serves.
				HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(5))
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return;
				}
				last = health.statusCode() + " " + health.body();
			}
			catch (ConnectException notYet) {
				last = "connection refused";
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(500);
		}
		throw new IllegalStateException(name + " not healthy after " + START_TIMEOUT + " (" + last + ")\n" + tail(80));
	}

	private List<String> command() {
		List<String> cmd = new ArrayList<>();
		cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx" + System.getProperty("leadflow.cluster.node-heap", "768m"));
		cmd.add("-XX:+ExitOnOutOfMemoryError");
		cmd.add("-Duser.timezone=UTC");
		cmd.add("-Dfile.encoding=UTF-8");
		cmd.add("-Dleadflow.node=" + name);
		Path jar = applicationJar();
		if (jar != null) {
			cmd.add("-jar");
			cmd.add(jar.toString());
		}
		else {
			cmd.add("-cp");
			cmd.add(fallbackClassPath());
			cmd.add("com.leadflow.LeadflowApplication");
		}
		cmd.add("--server.port=" + port);
		settings.forEach((key, value) -> cmd.add("--" + key + "=" + value));
		return cmd;
	}

	/** The repackaged Spring Boot jar of this build, if {@code mvn package} wrote one. */
	private static Path applicationJar() {
		try (Stream<Path> files = Files.list(targetDir())) {
			return files
				.filter(f -> f.getFileName().toString().matches("leadflow-.*\\.jar"))
				.filter(f -> !f.getFileName().toString().endsWith("-sources.jar"))
				.findFirst()
				.orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * {@code target/classes} and the dependencies of the test JVM's class path (failsafe passes it as
	 * {@code surefire.test.class.path}), without the test classes: the application exactly as packaged.
	 */
	private static String fallbackClassPath() {
		String testPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		Path classes = targetDir().resolve("classes");
		if (!Files.isDirectory(classes)) {
			throw new IllegalStateException("Neither target/leadflow-*.jar nor target/classes exist: run mvn package first");
		}
		List<String> entries = new ArrayList<>();
		entries.add(classes.toString());
		for (String entry : testPath.split(File.pathSeparator)) {
			if (!entry.isBlank() && !entry.endsWith("test-classes") && !Paths.get(entry).equals(classes)) {
				entries.add(entry);
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	static Path targetDir() {
		String basedir = System.getProperty("basedir");
		Path base = (basedir != null && !basedir.isBlank()) ? Paths.get(basedir) : Paths.get("").toAbsolutePath();
		return base.resolve("target").toAbsolutePath().normalize();
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return name + "@" + port + (isAlive() ? " pid " + pid() : " (down)");
	}

}
