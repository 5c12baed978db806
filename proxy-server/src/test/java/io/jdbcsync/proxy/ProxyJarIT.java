package io.jdbcsync.proxy;

import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged jar exactly as README documents it:
 * {@code java -jar proxy-server/target/jdbc-sync-proxy.jar --listen ... --url ...}, used by the
 * mariadb command line, then stopped with SIGTERM.
 */
class ProxyJarIT {

    @Test
    void documentedCommandServesTheMariadbCli() throws Exception {
        Path jar = Path.of("target", "jdbc-sync-proxy.jar");
        assertTrue(Files.isRegularFile(jar), "the package phase builds " + jar);
        String cli = ExternalClient.require("mariadb", "apt-get install -y mariadb-client");
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path log = Files.createTempDirectory("proxy-log");
            Path output = Files.createTempFile("proxy", ".out");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process proxy = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "--listen", "127.0.0.1:" + port,
                    "--url", db.syncUrl("sync.log=" + log.toUri())))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                for (int i = 0; i < 600 && !Files.readString(output).contains("listening on"); i++) {
                    if (!proxy.isAlive()) {
                        fail("proxy exited: " + Files.readString(output));
                    }
                    Thread.sleep(100);
                }
                String name = db.rawUrl().substring(TestDatabase.MARIADB_SERVER.length(), db.rawUrl().indexOf('?'));
                String out = ExternalClient.run(List.of(cli, "-h127.0.0.1", "-P" + port, "-uroot", "--batch",
                        "--skip-column-names", name, "-e",
                        "CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v TEXT); INSERT INTO t (v) VALUES ('x');"
                                + " CALL sync_now(); SELECT COUNT(*) FROM t;"), Map.of(), null, 120);
                assertTrue(out.trim().endsWith("1"), out);
                assertTrue(Files.list(log).findAny().isPresent(), "sync_now pushed to the shared log");
                proxy.destroy();
                assertTrue(proxy.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, proxy.exitValue(), Files.readString(output));
            } finally {
                proxy.destroyForcibly();
            }
        }
    }
}
