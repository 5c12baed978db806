package io.jdbcsync.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** {@code sync}: one push, pull and integrate. */
final class SyncCommand {
    private final PrintStream out;

    SyncCommand(PrintStream out) {
        this.out = out;
    }

    int run(Options o) throws Exception {
        try (Connection c = DriverManager.getConnection(o.syncUrl());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
            out.printf("pushed %d, pulled %d, applied %d, conflicts %d%n",
                    rs.getLong("pushed"), rs.getLong("pulled"), rs.getLong("applied"), rs.getLong("conflicts"));
        }
        return 0;
    }
}
