package io.jdbcsync.internal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.concurrent.Callable;

/** {@code status}: the device's sync status, its progress per remote device, and how each table's keys are made; reads only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the device id, pending changes, last sync and error, conflicts, adoption, per-device progress and key strategies."
                + " Reads only: nothing is written to the database or the shared log.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "the device's database (required)")
    String url;

    @Mixin
    Connections.LogOptions log;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, url, "--url");
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = Connections.openDevice(url, log.properties()); Statement s = c.createStatement()) {
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
        return Main.OK;
    }
}
