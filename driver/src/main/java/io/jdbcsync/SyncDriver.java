package io.jdbcsync;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.Devices;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.engine.Engines;
import io.jdbcsync.internal.jdbc.SeveralStatements;
import io.jdbcsync.internal.jdbc.SyncConnection;
import io.jdbcsync.internal.log.SharedLogs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.logging.Logger;

/**
 * The jdbc-sync JDBC driver: {@code jdbc:sync:<underlying URL without "jdbc:">}, for example
 * {@code jdbc:sync:sqlite:app.db?sync.log=/shared/app} or {@code jdbc:sync:mariadb://host/db}.
 * {@code sync.*} options come as connection properties or URL parameters and are removed before
 * the underlying driver sees the URL.
 */
public final class SyncDriver implements Driver {
    public static final String PREFIX = "jdbc:sync:";

    static {
        try {
            DriverManager.registerDriver(new SyncDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Map<String, String> syncOptions = new LinkedHashMap<>();
        Properties rawInfo = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (SyncOptions.isSyncOption(name)) {
                    syncOptions.put(name, info.getProperty(name));
                } else {
                    rawInfo.setProperty(name, info.getProperty(name));
                }
            }
        }
        String underlying = "jdbc:" + stripSyncParameters(url.substring(PREFIX.length()), syncOptions);
        Dialect dialect = Dialect.forUrl(underlying);
        if (dialect == null) {
            throw new SQLException("jdbc-sync supports jdbc:sync:sqlite:, jdbc:sync:mariadb: and jdbc:sync:mysql: URLs, not "
                    + underlying, "08001");
        }
        SyncOptions options = SyncOptions.from(syncOptions, SharedLogs.providerOptionNames());
        Properties appInfo = (Properties) rawInfo.clone();
        SeveralStatements several = SeveralStatements.decide(dialect, underlying, rawInfo);
        Connection raw = DriverManager.getConnection(underlying, rawInfo);
        try {
            Device device = Devices.forConnection(raw, dialect, options,
                    () -> DriverManager.getConnection(underlying, appInfo));
            // Read the schema now, outside any transaction: on SQLite a read inside the app's
            // first transaction would keep its write from waiting for the lock.
            device.schema(raw);
            return new SyncConnection(raw, device, UrlRedaction.redact(url), options,
                    Engines.forDevice(device, options, underlying, appInfo), several);
        } catch (SQLException | RuntimeException e) {
            try {
                raw.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Removes {@code sync.*} query parameters from a URL, adding them to {@code into}. */
    static String stripSyncParameters(String url, Map<String, String> into) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String part : url.substring(q + 1).split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (SyncOptions.isSyncOption(name)) {
                // Percent-decoding only: a '+' in a URL's query is a plus (a passphrase may hold one).
                String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
                into.put(name, value);
            } else {
                kept.add(part);
            }
        }
        String base = url.substring(0, q);
        return kept.length() == 0 ? base : base + "?" + kept;
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        Map<String, String[]> documented = SyncOptions.documented();
        DriverPropertyInfo[] out = new DriverPropertyInfo[documented.size()];
        int i = 0;
        for (Map.Entry<String, String[]> e : documented.entrySet()) {
            DriverPropertyInfo p = new DriverPropertyInfo(e.getKey(), info == null ? null : info.getProperty(e.getKey()));
            p.description = e.getValue()[1];
            p.required = false;
            out[i++] = p;
        }
        return out;
    }

    @Override
    public int getMajorVersion() {
        return versionPart(0);
    }

    @Override
    public int getMinorVersion() {
        return versionPart(1);
    }

    /** This driver's version, e.g. {@code 0.1.0-SNAPSHOT}, as built. */
    public static String version() {
        return Version.VALUE;
    }

    private static int versionPart(int index) {
        String[] parts = Version.VALUE.split("[.-]");
        try {
            return index < parts.length ? Integer.parseInt(parts[index]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Read once from the resource the build writes; a missing one means a broken build. */
    private static final class Version {
        static final String VALUE = load();

        private static String load() {
            Properties p = new Properties();
            try (InputStream in = SyncDriver.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                p.load(in);
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("jdbc-sync logs through SLF4J");
    }
}
