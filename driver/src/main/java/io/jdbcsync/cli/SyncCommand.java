package io.jdbcsync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;

/** {@code sync}: one push, pull and integrate. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Push this device's changes, pull and integrate the others' (CALL sync_now()). The first sync of a"
                + " device also shares the rows it held before sync (see init).")
final class SyncCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "the device's database (required)")
    String url;

    @Mixin
    Connections.LogOptions log;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, url, "--url");
        try (Connection c = Connections.openExisting(url, log.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
            spec.commandLine().getOut().printf("pushed %d, pulled %d, applied %d, conflicts %d%n",
                    rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
        return Main.OK;
    }
}
