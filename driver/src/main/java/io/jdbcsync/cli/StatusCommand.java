package io.jdbcsync.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

/** {@code status}: the device's sync status, its progress per remote device, and how each table's keys are made. */
final class StatusCommand {
    private final PrintStream out;

    StatusCommand(PrintStream out) {
        this.out = out;
    }

    int run(Options o) throws Exception {
        try (Connection c = DriverManager.getConnection(o.syncUrl()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("CALL sync_status()")) {
                ResultSetMetaData md = rs.getMetaData();
                rs.next();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.printf("%-16s %s%n", md.getColumnLabel(i), rs.getString(i));
                }
            }
            try (ResultSet rs = s.executeQuery("CALL sync_devices()")) {
                boolean any = false;
                while (rs.next()) {
                    if (!any) {
                        out.println("remote devices:");
                        any = true;
                    }
                    out.printf("  %s  batches %d  last change %s%n", rs.getString(1), rs.getLong(2), rs.getString(3));
                }
                if (!any) {
                    out.println("remote devices: none integrated yet");
                }
            }
            try (ResultSet rs = s.executeQuery("CALL sync_keys()")) {
                out.println("keys the driver generates:");
                while (rs.next()) {
                    String left = rs.getObject("ids_left") == null ? ""
                            : "  blocks " + rs.getLong("blocks_held") + ", " + rs.getLong("ids_left") + " ids left";
                    String problem = rs.getString("problem") == null ? "" : "  ! " + rs.getString("problem");
                    out.printf("  %-24s %s%s%s%n", rs.getString("table_name"), rs.getString("strategy"), left, problem);
                }
            }
        }
        return 0;
    }
}
