package io.jdbcsync.proxy;

import io.jdbcsync.proxy.server.ProxyConfig;
import io.jdbcsync.proxy.server.ProxyServer;
import io.jdbcsync.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real proxy on a free port of 127.0.0.1 in front of a fresh MariaDB database (a device) with a
 * directory shared log; clients log in as {@link #USER}/{@link #PASSWORD}.
 */
public final class RunningProxy implements AutoCloseable {
    public static final String USER = "app";
    public static final String PASSWORD = "s3cret-pw";

    private final TestDatabase db;
    private final Path log;
    private final ProxyServer server;

    private RunningProxy(TestDatabase db, Path log, ProxyServer server) {
        this.db = db;
        this.log = log;
        this.server = server;
    }

    public static RunningProxy start() throws Exception {
        return start(Files.createTempDirectory("proxy-log"), c -> c);
    }

    public static RunningProxy start(Path log, UnaryOperator<ProxyConfig> tune) throws Exception {
        return start(log, "", tune);
    }

    /** With more URL parameters for the driver ({@code sync.live=true&...}). */
    public static RunningProxy start(Path log, String urlParameters, UnaryOperator<ProxyConfig> tune) throws Exception {
        TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB);
        String url = db.syncUrl("sync.log=" + log.toUri() + (urlParameters.isEmpty() ? "" : "&" + urlParameters));
        ProxyConfig config = tune.apply(ProxyConfig.of("127.0.0.1", 0, url).withUsers(Map.of(USER, PASSWORD)));
        return new RunningProxy(db, log, ProxyServer.start(config));
    }

    public int port() {
        return server.port();
    }

    public String database() {
        String rest = db.rawUrl().substring(TestDatabase.MARIADB_SERVER.length());
        return rest.substring(0, rest.indexOf('?'));
    }

    public TestDatabase db() {
        return db;
    }

    public Path log() {
        return log;
    }

    public ProxyServer server() {
        return server;
    }

    /**
     * Waits (up to two seconds) until the backend connections in use settle at {@code expected},
     * then asserts it: a session gives its connection back after it answered, on its own thread.
     */
    public void awaitBackendInUse(int expected, String why) throws InterruptedException {
        for (int i = 0; i < 100 && server().backendInUse() != expected; i++) {
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, server().backendInUse(), why);
    }

    /** MariaDB Connector/J talking to the proxy over the wire. */
    public Connection connect(String extra) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port() + "/" + database()
                + "?user=" + USER + "&password=" + PASSWORD + (extra.isEmpty() ? "" : "&" + extra));
    }

    /** The database itself, bypassing the proxy. */
    public Connection direct() throws SQLException {
        return DriverManager.getConnection(db.rawUrl());
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            db.close();
        }
    }
}
