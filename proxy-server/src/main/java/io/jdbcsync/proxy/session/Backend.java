package io.jdbcsync.proxy.session;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database behind the proxy: a HikariCP pool of {@code jdbc:sync:mariadb:} connections, the
 * synced database's name and the server version shown to clients.
 */
public final class Backend implements AutoCloseable {
    private final String url;
    private final String database;
    private final HikariDataSource pool;
    private final String serverVersion;
    /** The session-variable SETs each pooled connection carries (see Session), by connection. */
    private final Map<Object, String> appliedSets = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    public Backend(String url, int maxConnections) throws SQLException {
        if (!url.startsWith("jdbc:sync:mariadb:") && !url.startsWith("jdbc:sync:mysql:")) {
            throw new SQLException("--url must be a jdbc:sync:mariadb: URL, got " + redact(url), "08001");
        }
        this.url = url;
        this.database = databaseOf(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("jdbc-sync-proxy");
        config.setDriverClassName("io.jdbcsync.SyncDriver");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(Math.min(4, maxConnections));
        config.setConnectionTimeout(30_000);
        // The client's prepared statements become the server's (binary protocol, no parse per
        // execution), as they are when the client talks to MariaDB directly.
        config.addDataSourceProperty("useServerPrepStmts", "true");
        config.setExceptionOverrideClassName(RefusalsKeepConnections.class.getName());
        this.pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            this.serverVersion = rs.getString(1);
        } catch (SQLException e) {
            pool.close();
            throw e;
        }
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** The SETs last replayed on this connection ("" when it has only the server's defaults). */
    String appliedSets(org.mariadb.jdbc.Connection raw) {
        return appliedSets.getOrDefault(raw, "");
    }

    void appliedSets(org.mariadb.jdbc.Connection raw, String sets) {
        appliedSets.put(raw, sets);
    }

    /** Backend connections handed out now (held by sessions or a metrics scrape). */
    public int inUse() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    /** Takes a broken connection out of the pool instead of handing it to the next client. */
    void evict(Connection c) {
        pool.evictConnection(c);
    }

    /** The synced database (the device), as named in the URL. */
    public String database() {
        return database;
    }

    /** The version string of the handshake; MariaDB servers prefix "5.5.5-" for old MySQL clients. */
    public String serverVersion() {
        return serverVersion.startsWith("5.5.5-") || !serverVersion.contains("MariaDB")
                ? serverVersion : "5.5.5-" + serverVersion;
    }

    /** The user and password the URL connects with (the proxy's default account). */
    public Map<String, String> urlAccount() {
        Map<String, String> params = parameters(url);
        String user = params.getOrDefault("user", params.getOrDefault("username", "root"));
        return Map.of(user, params.getOrDefault("password", ""));
    }

    static String databaseOf(String url) {
        String rest = url.substring(url.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("the URL must name the synced database: " + redact(url));
        }
        String db = rest.substring(slash + 1);
        int q = db.indexOf('?');
        db = q < 0 ? db : db.substring(0, q);
        if (db.isEmpty()) {
            throw new IllegalArgumentException("the URL must name the synced database: " + redact(url));
        }
        return db;
    }

    static Map<String, String> parameters(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The URL with its password replaced, for logs and messages. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public void close() {
        pool.close();
    }
}
