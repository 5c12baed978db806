import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A notes app on SQLite that syncs through a shared folder. Each database file is a device.
 *
 *   java -cp jdbc-sync-driver-*-standalone.jar:sqlite-jdbc-*.jar Notes.java laptop.db shared/ add "buy milk"
 *   java -cp ... Notes.java phone.db shared/ sync
 *   java -cp ... Notes.java phone.db shared/ list
 */
public class Notes {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Notes <database file> <shared folder> add <text> | done <id> | list | sync");
            System.exit(2);
        }
        String url = "jdbc:sync:sqlite:" + args[0] + "?sync.log=" + args[1];
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                // The app's own migration: runs on every device, not synced.
                s.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, body TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0)");
            }
            switch (args[2]) {
                case "add" -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (body) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                        ps.setString(1, args[3]);
                        ps.executeUpdate();
                        try (ResultSet keys = ps.getGeneratedKeys()) {
                            keys.next();
                            System.out.println("added note " + keys.getLong(1));
                        }
                    }
                }
                case "done" -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE note SET done = 1 WHERE id = ?")) {
                        ps.setLong(1, Long.parseLong(args[3]));
                        System.out.println(ps.executeUpdate() == 1 ? "done" : "no such note");
                    }
                }
                case "list" -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, body, done FROM note ORDER BY id")) {
                        while (rs.next()) {
                            System.out.println(rs.getLong(1) + " [" + (rs.getInt(3) == 1 ? "x" : " ") + "] " + rs.getString(2));
                        }
                    }
                }
                case "sync" -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
                        rs.next();
                        System.out.println("pushed " + rs.getLong("pushed") + ", pulled " + rs.getLong("pulled")
                                + ", applied " + rs.getLong("applied") + ", conflicts " + rs.getLong("conflicts"));
                    }
                }
                default -> {
                    System.err.println("unknown command " + args[2]);
                    System.exit(2);
                }
            }
        }
    }
}
