package com.leadflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MySqlTestDatabaseIT {

    private static final String JAPANESE = "株式会社サンプル 山田 太郎";

    private static MySqlTestDatabase db;

    @BeforeAll
    static void startDatabase() {
        db = MySqlTestDatabase.get();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    @Test
    void isJvmWideSingleton() {
        assertThat(MySqlTestDatabase.get()).isSameAs(db);
    }

    @Test
    void urlCarriesCamundaConnectorJFlags() {
        assertThat(db.jdbcUrl())
                .startsWith("jdbc:mysql://")
                .contains("sendFractionalSeconds=false")
                .contains("characterEncoding=UTF-8")
                .contains("connectionTimeZone=UTC")
                .contains("forceConnectionTimeZoneToSession=true")
                .contains("nullCatalogMeansCurrent=true")
                .contains("useLocalSessionState=true")
                .contains("rewriteBatchedStatements=true")
                .contains("allowPublicKeyRetrieval=true")
                .contains("useSSL=false");
    }

    @Test
    void databaseIsUtf8mb4() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT DATABASE(), @@character_set_database, @@collation_database")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(db.databaseName());
            assertThat(rs.getString(2)).isEqualTo("utf8mb4");
            assertThat(rs.getString(3)).isEqualTo("utf8mb4_unicode_ci");
        }
    }

    @Test
    void roundTripsJapaneseText() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS it_charset_probe");
            st.execute("CREATE TABLE it_charset_probe (id INT PRIMARY KEY, name VARCHAR(255) NOT NULL)");
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO it_charset_probe (id, name) VALUES (?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setString(2, JAPANESE);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT name, CHAR_LENGTH(name) FROM it_charset_probe WHERE name = ?")) {
                    ps.setString(1, JAPANESE);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(JAPANESE);
                        assertThat(rs.getInt(2)).isEqualTo(JAPANESE.codePointCount(0, JAPANESE.length()));
                    }
                }
            } finally {
                st.execute("DROP TABLE IF EXISTS it_charset_probe");
            }
        }
    }

    @Test
    void newSessionIsReadCommitted() throws SQLException {
        try (Connection c = connect()) {
            String isolation = sessionIsolation(c);
            if (!db.isEmbedded()) {
                // An external server may use its own default (e.g. REPEATABLE-READ); Camunda sets
                // READ COMMITTED through the pool. The embedded server must have it as server default.
                System.out.println("[MySqlTestDatabaseIT] external server default isolation: " + isolation);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                isolation = sessionIsolation(c);
            }
            assertThat(isolation).isEqualTo("READ-COMMITTED");
        }
    }

    @Test
    void sessionTimeZoneIsUtc() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@session.time_zone")) {
            assertThat(rs.next()).isTrue();
            // connectionTimeZone=UTC + forceConnectionTimeZoneToSession=true => SET time_zone='+00:00'
            assertThat(rs.getString(1)).isEqualTo("+00:00");
        }
    }

    private static String sessionIsolation(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT @@transaction_isolation")) {
                rs.next();
                return rs.getString(1).toUpperCase(Locale.ROOT);
            } catch (SQLException unknownVariable) {
                try (ResultSet rs = st.executeQuery("SELECT @@tx_isolation")) {
                    rs.next();
                    return rs.getString(1).toUpperCase(Locale.ROOT);
                }
            }
        }
    }
}
