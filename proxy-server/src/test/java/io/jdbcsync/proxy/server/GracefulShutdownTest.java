package io.jdbcsync.proxy.server;

import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The proxy as its own process, started with the documented options: SIGTERM stops accepting,
 * closes idle sessions, lets an open transaction commit, then exits 0.
 */
class GracefulShutdownTest {

    @Test
    void sigtermLetsOpenTransactionsFinishAndExitsZero() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            db.execRaw("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path log = Files.createTempDirectory("proxy-log");
            Path output = Files.createTempFile("proxy", ".out");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process proxy = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "io.jdbcsync.proxy.ProxyMain", "--listen", "127.0.0.1:" + port,
                    "--url", db.syncUrl("sync.log=" + log.toUri()), "--shutdown-timeout", "30"))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                awaitOutput(output, "listening on", proxy);
                String name = db.rawUrl().substring(TestDatabase.MARIADB_SERVER.length(), db.rawUrl().indexOf('?'));
                String url = "jdbc:mariadb://127.0.0.1:" + port + "/" + name + "?user=root&password=";
                try (Connection inTransaction = DriverManager.getConnection(url);
                     Connection idle = DriverManager.getConnection(url)) {
                    inTransaction.setAutoCommit(false);
                    try (Statement s = inTransaction.createStatement()) {
                        s.execute("INSERT INTO t (v) VALUES (1)");
                    }
                    proxy.destroy(); // SIGTERM
                    awaitRefused(port);
                    assertThrows(SQLException.class, () -> {
                        try (Statement s = idle.createStatement()) {
                            s.executeQuery("SELECT 1");
                        }
                    }, "an idle session is closed at once");
                    assertTrue(proxy.isAlive(), "waits for the open transaction");
                    try (Statement s = inTransaction.createStatement()) {
                        s.execute("INSERT INTO t (v) VALUES (2)");
                    }
                    inTransaction.commit();
                }
                assertTrue(proxy.waitFor(60, TimeUnit.SECONDS), Files.readString(output));
                assertEquals(0, proxy.exitValue(), Files.readString(output));
                assertEquals(List.of("1", "2"), db.rawRows("SELECT v FROM t ORDER BY v"));
                assertEquals(List.of("2"), db.rawRows("SELECT COUNT(*) FROM _sync_log WHERE tbl = 't'"));
            } finally {
                proxy.destroyForcibly();
            }
        }
    }

    private static void awaitOutput(Path output, String text, Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.readString(output).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                fail("proxy exited: " + Files.readString(output));
            }
            Thread.sleep(100);
        }
        fail("proxy did not start: " + Files.readString(output));
    }

    private static void awaitRefused(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(50);
            } catch (ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                Thread.sleep(50);
            }
        }
        fail("still accepting connections after SIGTERM");
    }
}
