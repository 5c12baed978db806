package io.jdbcsync.proxy.clients;

import io.jdbcsync.proxy.ExternalClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mariadb command-line client through the proxy. */
class MariadbCliTest {
    static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static ExternalClient.Result mariadb(String script, String... extra) throws Exception {
        String cli = ExternalClient.require("mariadb", "apt-get install -y mariadb-client");
        List<String> cmd = new ArrayList<>(List.of(cli, "-h127.0.0.1", "-P" + proxy.port(), "-u" + RunningProxy.USER,
                "-p" + RunningProxy.PASSWORD, "--default-character-set=utf8mb4", "--batch", "--skip-column-names"));
        cmd.addAll(List.of(extra));
        cmd.add(proxy.database());
        cmd.add("-e");
        cmd.add(script);
        return ExternalClient.runAny(cmd, Map.of(), null, 120);
    }

    @Test
    void ddlInsertsTransactionsAndControlStatements() throws Exception {
        ExternalClient.Result r = mariadb(String.join("\n",
                "CREATE TABLE note (id BIGINT PRIMARY KEY AUTO_INCREMENT, body TEXT NOT NULL, at DATETIME(6), t TIME);",
                "INSERT INTO note (body, at, t) VALUES ('héllo ☃', '2024-01-02 03:04:05.000006', '-12:00:01');",
                "SELECT IF(LAST_INSERT_ID() > POW(2, 40), 'driver-key', 'small-key');",
                "SELECT LAST_INSERT_ID() = (SELECT id FROM note WHERE body = 'héllo ☃');",
                "BEGIN;",
                "INSERT INTO note (body) VALUES ('gone');",
                "ROLLBACK;",
                "SELECT body, at, t FROM note ORDER BY id;",
                "CALL sync_now();",
                "SELECT 'status';",
                "CALL sync_status();"));
        assertEquals(0, r.exit(), r.output());
        String[] lines = r.output().split("\n");
        assertEquals("driver-key", lines[0]);
        assertEquals("1", lines[1]);
        assertEquals("héllo ☃\t2024-01-02 03:04:05.000006\t-12:00:01", lines[2]);
        assertTrue(r.output().contains("status\n"), r.output());
        assertTrue(r.output().contains("note"), "sync_status lists the synced table: " + r.output());
    }

    @Test
    void multiStatementTextsRunEachStatementThroughTheDriver() throws Exception {
        // With another delimiter the CLI sends "...; ...; ..." as one COM_QUERY.
        ExternalClient.Result r = mariadb(String.join("\n",
                "CREATE TABLE multi (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT);",
                "DELIMITER //",
                "SELECT 1; SELECT 2 //",
                "INSERT INTO multi (v) VALUES (1); UPDATE multi SET v = v + 1; SELECT v FROM multi; INSERT INTO multi (v) VALUES (5) //",
                "SELECT COUNT(*) FROM multi WHERE id > POW(2, 40); SELECT 'after' //"));
        assertEquals(0, r.exit(), r.output());
        assertEquals(List.of("1", "2", "2", "2", "after"), List.of(r.output().strip().split("\n")));
        List<Object[]> logged = proxy.db().logRows().stream().filter(row -> "multi".equals(row[1])).toList();
        assertEquals(3, logged.size(), "two inserts and an update captured, each as if sent alone");
        ExternalClient.Result failed = mariadb(String.join("\n", "DELIMITER //",
                "SELECT 'first'; SELECT no_such_column FROM multi; SELECT 'never' //"));
        assertTrue(failed.output().contains("first") && failed.output().contains("ERROR 1054"), failed.output());
        assertTrue(!failed.output().contains("never"), "the first error ends the text: " + failed.output());
    }

    @Test
    void errorsShowMariaDbCodes() throws Exception {
        ExternalClient.Result r = mariadb("SELECT * FROM missing_table;");
        assertTrue(r.exit() != 0);
        assertTrue(r.output().contains("ERROR 1146 (42S02)"), r.output());
        ExternalClient.Result denied = ExternalClient.runAny(List.of(
                ExternalClient.require("mariadb", "apt-get install -y mariadb-client"), "-h127.0.0.1",
                "-P" + proxy.port(), "-u" + RunningProxy.USER, "-pwrong", "-e", "SELECT 1"), Map.of(), null, 60);
        assertTrue(denied.output().contains("ERROR 1045 (28000)"), denied.output());
    }

    @Test
    void interactiveSessionWithTableNameCompletionUsesFieldList() throws Exception {
        // Interactive (on a terminal, through script(1)) with --auto-rehash, the CLI reads every
        // table's columns with COM_FIELD_LIST at connect.
        String cli = ExternalClient.require("mariadb", "apt-get install -y mariadb-client");
        String script = ExternalClient.require("script", "apt-get install -y bsdutils");
        try (RunningProxy p = RunningProxy.start(java.nio.file.Files.createTempDirectory("proxy-log"),
                c -> c.withMetrics("127.0.0.1", 0))) {
            try (java.sql.Connection c = p.connect(""); java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE TABLE first_table (id BIGINT PRIMARY KEY AUTO_INCREMENT, a INT, b TEXT)");
                s.execute("CREATE TABLE second_table (id BIGINT PRIMARY KEY AUTO_INCREMENT, c DATE)");
            }
            String command = String.join(" ", cli, "-h127.0.0.1", "-P" + p.port(), "-u" + RunningProxy.USER,
                    "-p" + RunningProxy.PASSWORD, "--auto-rehash", p.database());
            java.nio.file.Path input = java.nio.file.Files.createTempFile("cli", ".in");
            java.nio.file.Files.writeString(input, "SELECT CONCAT('rows:', COUNT(*)) FROM first_table;\nquit\n");
            String out = ExternalClient.run(List.of("sh", "-c", script + " -qc '" + command + "' /dev/null < " + input),
                    Map.of("TERM", "dumb"), null, 60);
            assertTrue(out.contains("rows:0"), out);
            String metrics = new String(new java.net.URL("http://127.0.0.1:" + p.server().metricsPort() + "/metrics")
                    .openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("jdbcsync_proxy_commands_total\\{command=\"field_list\"} (\\S+)").matcher(metrics);
            assertTrue(m.find(), metrics);
            // One per table: the app's two and the driver's _sync_* tables.
            assertTrue(Double.parseDouble(m.group(1)) >= 2, metrics);
            assertTrue(metrics.contains("jdbcsync_proxy_errors_total 0.0"), metrics);
        }
    }

    @Test
    void cachingSha2AndAuthSwitch() throws Exception {
        // A client that answers the handshake for another plugin gets an AuthSwitch to it (or to ours).
        for (String plugin : List.of("caching_sha2_password", "mysql_native_password", "client_ed25519")) {
            ExternalClient.Result r = mariadb("SELECT CONCAT('in-', '" + plugin + "');", "--default-auth=" + plugin);
            assertEquals(0, r.exit(), plugin + ": " + r.output());
            assertTrue(r.output().contains("in-" + plugin), r.output());
        }
    }
}
