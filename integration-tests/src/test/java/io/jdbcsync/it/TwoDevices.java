package io.jdbcsync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two devices of one database kind syncing through a shared directory: each a fresh database of
 * its own, reached through a {@code jdbc:sync:} URL that names the shared log.
 */
final class TwoDevices implements AutoCloseable {
    enum Kind { SQLITE, MARIADB }

    final Kind kind;
    private final ItDatabase[] databases = new ItDatabase[2];
    private final Path log;

    TwoDevices(Kind kind) throws IOException {
        this.kind = kind;
        this.log = Files.createTempDirectory("jsync-it-log");
        for (int i = 0; i < 2; i++) {
            databases[i] = kind == Kind.SQLITE ? ItDatabase.sqlite() : ItDatabase.mariaDb();
        }
    }

    /** The jdbc:sync: URL of device {@code i} (0 or 1). */
    String url(int i) {
        String url = databases[i].syncUrl();
        return url + (url.indexOf('?') < 0 ? "?" : "&") + "sync.log=" + log;
    }

    ItDatabase database(int i) {
        return databases[i];
    }

    Connection open(int i) throws SQLException {
        return DriverManager.getConnection(url(i));
    }

    /** Auto-increment key column DDL for this kind. */
    String autoKey() {
        return kind == Kind.SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY AUTO_INCREMENT";
    }

    /** Syncs both devices until each has the other's changes. */
    void converge() throws SQLException {
        for (int i : new int[] {0, 1, 0}) {
            try (Connection c = open(i); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
                rs.next();
            }
        }
    }

    /** A query's rows on device {@code i}, read past the driver, each row's columns joined by '|'. */
    List<String> rows(int i, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = databases[i].openRaw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int k = 1; k <= n; k++) {
                    sb.append(k == 1 ? "" : "|").append(rs.getString(k));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (ItDatabase db : databases) {
            if (db != null) {
                db.close();
            }
        }
        try (Stream<Path> files = Files.walk(log)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
