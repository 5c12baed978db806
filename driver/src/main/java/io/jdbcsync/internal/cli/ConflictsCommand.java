package io.jdbcsync.internal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;

/** {@code conflicts}: the losing versions a device keeps ({@code CALL sync_conflicts()}); reads only. */
@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = "List the versions that lost a conflict and are kept (newest first): table, key, reason, the losing row"
                + " as SQL literals, which device wrote it and when. Reads only.")
final class ConflictsCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "the device's database (required)")
    String url;

    @Option(names = "--all", description = "also list conflicts that are settled (active = 0), among them column values"
            + " lost to a concurrent edit or to a delete that raced them")
    boolean all;

    @Mixin
    Connections.LogOptions log;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, url, "--url");
        PrintWriter out = spec.commandLine().getOut();
        int shown = 0;
        try (Connection c = Connections.openDevice(url, log.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CALL sync_conflicts()")) {
            while (rs.next()) {
                boolean active = rs.getLong("active") == 1;
                if (!active && !all) {
                    continue;
                }
                shown++;
                out.printf("#%d %s key (%s)%s%n", rs.getLong("conflict_id"), rs.getString("table_name"),
                        rs.getString("row_key"), active ? "  [out of its table]" : "");
                out.printf("   %s%n", rs.getString("reason"));
                String column = rs.getString("column_name");
                out.printf("   lost: %s%s%n", rs.getString("losing_row"), column == null ? "" : " (column " + column + ")");
                out.printf("   by device %s at %s, recorded %s%n", rs.getString("losing_device"),
                        rs.getString("losing_change"), rs.getString("recorded_at"));
            }
        }
        if (shown == 0) {
            out.println(all ? "no conflicts recorded" : "no active conflicts (--all lists settled ones too)");
        }
        return Main.OK;
    }
}
