package io.jdbcsync.internal.cli;

import io.jdbcsync.internal.value.ValueCodec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code demo}: SQLite devices (laptop, phone, tablet) share a notes app's data through a folder,
 * change it offline, some of it in conflict, sync in an arbitrary order and end up identical.
 */
@picocli.CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
        description = "SQLite devices change the same notes offline (some in conflict), sync through a folder and"
                + " converge; prints how each conflict was decided.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(names = "--devices", paramLabel = "N", defaultValue = "3", description = "2 or 3 (default ${DEFAULT-VALUE})")
    int count;

    @picocli.CommandLine.Option(names = "--dir", paramLabel = "DIR", description = "keep the databases and the log here (default: a temporary folder, removed afterwards)")
    Path keepIn;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final String[] NAMES = {"laptop", "phone", "tablet"};
    private static final String NOTES = "CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT,"
            + " starred INTEGER NOT NULL DEFAULT 0)";
    private static final String TAGS = "CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)";

    private PrintWriter out;
    private final List<Connection> devices = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        int n = count;
        if (n < 2 || n > 3) {
            throw new IllegalArgumentException("--devices must be 2 or 3");
        }
        Path dir = keepIn == null ? Files.createTempDirectory("jdbc-sync-demo") : keepIn;
        Files.createDirectories(dir);
        Path log = dir.resolve("shared-log");
        out.println("jdbc-sync demo: " + n + " devices, shared log in " + log);
        out.println();
        try {
            for (int i = 0; i < n; i++) {
                String url = "jdbc:sync:sqlite:" + dir.resolve(NAMES[i] + ".db") + "?sync.log="
                        + java.net.URLEncoder.encode(log.toString(), java.nio.charset.StandardCharsets.UTF_8);
                Connection c = DriverManager.getConnection(url);
                devices.add(c);
                exec(i, NOTES, TAGS);
            }
            return scenario(n);
        } finally {
            for (Connection c : devices) {
                c.close();
            }
            if (keepIn == null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private int scenario(int n) throws SQLException {
        int last = n - 1;
        step("laptop writes three notes and syncs; the others sync and receive them");
        long groceries = insertNote(0, "Groceries", "");
        long trip = insertNote(0, "Trip ideas", "Lisbon?");
        insertNote(0, "Call the plumber", "");
        syncAll(n);

        step("everyone goes offline and edits");
        exec(0, "UPDATE note SET title = 'Groceries for Sunday' WHERE id = " + groceries);
        say("laptop : renames note " + groceries + " to 'Groceries for Sunday'");
        exec(1, "UPDATE note SET body = 'milk, eggs, bread' WHERE id = " + groceries);
        say("phone  : writes the body of note " + groceries);
        if (n == 3) {
            exec(2, "UPDATE note SET title = 'Weekend groceries' WHERE id = " + groceries);
            say("tablet : renames note " + groceries + " to 'Weekend groceries' (after the laptop did)");
        }
        exec(0, "DELETE FROM note WHERE id = " + trip);
        say("laptop : deletes note " + trip);
        exec(1, "UPDATE note SET starred = 1 WHERE id = " + trip);
        say("phone  : stars note " + trip + " (not knowing it was deleted)");
        exec(0, "INSERT INTO tag (name) VALUES ('home')");
        say("laptop : creates tag 'home'");
        exec(last, "INSERT INTO tag (name) VALUES ('home')");
        say(NAMES[last] + (n == 3 ? " : " : "  : ") + "creates tag 'home' too (tag names are UNIQUE)");
        long fresh = insertNote(1, "Book dentist", "");
        say("phone  : writes a new note " + fresh);

        step("they sync, in reverse order, twice round");
        for (int round = 0; round < 2; round++) {
            for (int i = last; i >= 0; i--) {
                long[] r = sync(i);
                say(String.format("%-7s: pushed %d, pulled %d, applied %d, conflicts %d", NAMES[i], r[0], r[1], r[2], r[3]));
            }
        }

        step("the result on every device");
        List<String> reference = null;
        boolean same = true;
        for (int i = 0; i < n; i++) {
            List<String> rows = new ArrayList<>(dump(i, "SELECT id, title, body, starred FROM note ORDER BY id"));
            rows.addAll(dump(i, "SELECT id, name FROM tag ORDER BY id"));
            out.println(NAMES[i] + ":");
            for (String r : rows) {
                out.println("    " + r);
            }
            if (reference == null) {
                reference = rows;
            } else {
                same &= reference.equals(rows);
            }
        }
        out.println();
        out.println(same ? "CONVERGED: all " + n + " devices hold identical notes and tags."
                : "NOT CONVERGED: the devices differ (this is a bug; please report it).");

        step("how the conflicts were decided");
        String title = scalar(0, "SELECT title FROM note WHERE id = " + groceries);
        String body = scalar(0, "SELECT body FROM note WHERE id = " + groceries);
        say("note " + groceries + ": per column, the newer edit wins. title = '" + title + "' (the later rename), body = '"
                + body + "' (edited on phone only, so kept)");
        say("note " + trip + ": " + (scalar(0, "SELECT COUNT(*) FROM note WHERE id = " + trip).equals("0")
                ? "the delete wins over the concurrent star: it stays deleted" : "still there (unexpected)"));
        for (io.jdbcsync.internal.merge.ConflictLog.Kept k : io.jdbcsync.internal.merge.ConflictLog.all(devices.get(0), false)) {
            boolean edit = io.jdbcsync.internal.merge.ConcurrentEdits.is(k.reason());
            say((edit ? k.table() + ": " : "tag: ") + k.reason());
            io.jdbcsync.internal.value.Row lost = ValueCodec.decodeRow(k.row());
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < lost.columns().size(); i++) {
                row.append(i == 0 ? "" : ", ").append(lost.columns().get(i)).append(" = ").append(lost.values().get(i));
            }
            say("     the losing " + (edit ? "value" : "row") + " (" + row + ") is kept in _sync_conflict on every device");
        }
        return same ? 0 : 1;
    }

    private long insertNote(int device, String title, String body) throws SQLException {
        try (PreparedStatement ps = devices.get(device).prepareStatement(
                "INSERT INTO note (title, body) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, title);
            ps.setString(2, body);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private void syncAll(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            sync(i);
        }
        for (int i = 0; i < n; i++) {
            sync(i);
        }
    }

    private long[] sync(int device) throws SQLException {
        try (Statement s = devices.get(device).createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    private void exec(int device, String... sql) throws SQLException {
        try (Statement s = devices.get(device).createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private String scalar(int device, String sql) throws SQLException {
        try (Statement s = devices.get(device).createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> dump(int device, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = devices.get(device).createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            String table = sql.contains("FROM note") ? "note" : "tag";
            while (rs.next()) {
                Object[] v = new Object[md.getColumnCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getObject(i + 1);
                }
                rows.add(table + " " + Arrays.toString(v));
            }
        }
        return rows;
    }

    private void step(String what) {
        out.println();
        out.println("== " + what);
    }

    private void say(String line) {
        out.println("   " + line);
    }
}
