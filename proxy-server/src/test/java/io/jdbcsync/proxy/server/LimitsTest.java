package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RawClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits and misbehaving clients: each gets an error or a disconnect, and a well-behaved client
 * connected all along keeps working.
 */
class LimitsTest {
    private static final int MAX_CONNECTIONS = 4;
    static RunningProxy proxy;
    static Connection bystander;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"), c -> c.withLimits(MAX_CONNECTIONS,
                Duration.ofSeconds(1), Duration.ofHours(1), 1 << 20));
        bystander = proxy.connect("");
        try (Statement s = bystander.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        bystander.close();
        proxy.close();
    }

    /** The bystander is idle between tests for less than the idle timeout: keep it busy. */
    private static void bystanderStillWorks() throws Exception {
        try (Statement s = bystander.createStatement()) {
            s.execute("INSERT INTO t (v) VALUES (1)");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                assertTrue(rs.next());
            }
        }
    }

    private static RawClient loggedIn() throws Exception {
        RawClient c = new RawClient(proxy.port());
        assertEquals(0, c.login(RunningProxy.USER, RunningProxy.PASSWORD, proxy.database(), 0)[0]);
        return c;
    }

    private static void awaitSessions(int n) throws InterruptedException {
        for (int i = 0; i < 200 && proxy.server().sessions() != n; i++) {
            Thread.sleep(50);
        }
        assertEquals(n, proxy.server().sessions());
    }

    @Test
    void connectionsOverTheLimitAreRefusedWith1040() throws Exception {
        awaitSessions(1);
        List<RawClient> held = new ArrayList<>();
        try {
            for (int i = 1; i < MAX_CONNECTIONS; i++) {
                held.add(loggedIn());
            }
            try (RawClient extra = new RawClient(proxy.port())) {
                byte[] err = extra.read();
                assertEquals(0xFF, err[0] & 0xFF);
                assertEquals(1040, RawClient.errorCode(err));
            }
        } finally {
            for (RawClient c : held) {
                c.close();
            }
        }
        awaitSessions(1);
        bystanderStillWorks();
    }

    @Test
    void silentClientIsDisconnectedAfterTheHandshakeTimeout() throws Exception {
        try (RawClient silent = new RawClient(proxy.port())) {
            silent.readHandshake();
            assertTrue(silent.closedByServer());
        }
        bystanderStillWorks();
    }

    @Test
    void idleClientIsDisconnected() throws Exception {
        try (RunningProxy shortIdle = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withLimits(MAX_CONNECTIONS, Duration.ofSeconds(10), Duration.ofSeconds(1), 1 << 20));
             RawClient idle = new RawClient(shortIdle.port())) {
            assertEquals(0, idle.login(RunningProxy.USER, RunningProxy.PASSWORD, shortIdle.database(), 0)[0]);
            assertEquals(0, idle.command(0x0E, new byte[0])[0]);
            assertTrue(idle.closedByServer());
        }
    }

    @Test
    void oversizedLengthHeaderGets1153AndADisconnect() throws Exception {
        try (RawClient big = loggedIn()) {
            big.writeRaw(new byte[] {0, 0, 0x20, 0, 0x03}); // 2 MiB announced, limit 1 MiB
            byte[] err = big.read();
            assertEquals(1153, RawClient.errorCode(err));
            assertTrue(big.closedByServer());
        }
        bystanderStillWorks();
    }

    @Test
    void garbageAndTruncatedPacketsOnlyHurtTheirOwnConnection() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            awaitSessions(1);
            try (RawClient junk = new RawClient(proxy.port())) {
                junk.readHandshake();
                byte[] garbage = new byte[1 + random.nextInt(300)];
                random.nextBytes(garbage);
                junk.writeRaw(garbage);
                if (i % 2 == 0) {
                    assertTrue(junk.closedByServer());
                }
            }
        }
        awaitSessions(1);
        try (RawClient truncated = loggedIn()) {
            truncated.writeRaw(new byte[] {100, 0, 0, 0, 0x03, 'S', 'E'});
        }
        try (RawClient badCommand = loggedIn()) {
            // COM_STMT_EXECUTE of an unknown statement, then one cut short.
            byte[] err = badCommand.command(0x17, new byte[] {1, 0, 0, 0, 0, 1, 0, 0, 0});
            assertEquals(1243, RawClient.errorCode(err));
            badCommand.write(0, new byte[] {0x16});
            badCommand.read();
        }
        awaitSessions(1);
        bystanderStillWorks();
    }

    @Test
    void clientHangingUpMidResultFreesItsSession() throws Exception {
        try (RawClient reader = loggedIn()) {
            reader.query("SELECT seq, REPEAT('x', 500) FROM seq_1_to_100000");
            for (int i = 0; i < 10; i++) {
                reader.read();
            }
        }
        awaitSessions(1);
        bystanderStillWorks();
        try (RawClient again = loggedIn()) {
            assertEquals(0, again.command(0x0E, new byte[0])[0]);
        }
    }
}
