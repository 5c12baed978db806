package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus metrics over HTTP: connections, commands, errors, auth failures and the driver's sync state. */
class MetricsTest {

    private static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static double value(String body, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        assertTrue(m.find(), series + " missing in\n" + body);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countersAndSyncStateAreServed() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withMetrics("127.0.0.1", 0))) {
            int port = proxy.server().metricsPort();
            try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
                s.execute("INSERT INTO t (v) VALUES (1)");
                s.execute("INSERT INTO t (v) VALUES (2)");
                assertThrows(SQLException.class, () -> s.execute("SELECT * FROM missing"));
                String body = scrape(port);
                assertEquals(1.0, value(body, "jdbcsync_proxy_sessions"));
                assertTrue(value(body, "jdbcsync_proxy_backend_connections_in_use") >= 1.0,
                        "the session keeps its connection after a generated key");
                assertTrue(value(body, "jdbcsync_proxy_commands_total{command=\"query\"}") >= 4);
                assertTrue(value(body, "jdbcsync_proxy_errors_total") >= 1);
                assertEquals(2.0, value(body, "jdbcsync_sync_state{value=\"pending_changes\"}"));
                s.execute("CALL sync_now()");
            }
            assertThrows(SQLException.class, () -> java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:"
                    + proxy.port() + "/" + proxy.database() + "?user=app&password=nope"));
            String body = scrape(port);
            assertEquals(0.0, value(body, "jdbcsync_sync_state{value=\"pending_changes\"}"));
            assertEquals(1.0, value(body, "jdbcsync_sync_state{value=\"last_sync_ok\"}"));
            assertEquals(1.0, value(body, "jdbcsync_proxy_auth_failures_total"));
            assertTrue(value(body, "jdbcsync_proxy_connections_total") >= 2);
        }
    }
}
