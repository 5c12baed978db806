package io.jdbcsync.proxy;

import io.jdbcsync.proxy.server.ProxyConfig;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyMainTest {

    @Test
    void optionsAsDocumented() {
        ProxyConfig c = ProxyMain.parse(new String[] {"--listen", "127.0.0.1:3307", "--url", "jdbc:sync:mariadb://h/app",
                "--user", "u", "--password", "p", "--max-connections=7", "--idle-timeout", "60", "--max-packet", "1024",
                "--metrics", "0.0.0.0:9104", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--require-tls", "true"});
        assertEquals("127.0.0.1", c.host());
        assertEquals(3307, c.port());
        assertEquals(Map.of("u", "p"), c.users());
        assertEquals(7, c.maxConnections());
        assertEquals(Duration.ofSeconds(60), c.idleTimeout());
        assertEquals(1024, c.maxPacket());
        assertEquals("0.0.0.0", c.metricsHost());
        assertEquals(9104, c.metricsPort());
        assertEquals(new ProxyConfig.Tls(Path.of("c.pem"), Path.of("k.pem"), null, true), c.tls());
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ProxyMain.parse(new String[] {"--listen", "127.0.0.1:3307"}));
        assertTrue(missing.getMessage().contains("--url"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ProxyMain.parse(new String[] {"--listen", "127.0.0.1:1", "--url", "x", "--bogus", "1"}));
        assertTrue(unknown.getMessage().contains("--bogus"));
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> ProxyMain.parse(new String[] {"--listen", "127.0.0.1:http", "--url", "x"}));
        assertTrue(port.getMessage().contains("port"));
    }

    @Test
    void theDriversCommandsRunFromTheProxyJar() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            // An empty database is set up for sync at its first DDL through the driver.
            try (java.sql.Connection c = db.openSync(); java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String out = ExternalClient.run(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "io.jdbcsync.proxy.ProxyMain", "status", "--url", db.syncUrl()), Map.of(), null, 120);
            assertTrue(out.toLowerCase().contains("device"), out);
        }
    }
}
