package io.jdbcsync.internal.cli;

import io.jdbcsync.SyncClient;
import io.jdbcsync.internal.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.concurrent.Callable;

/** {@code init}: sets a database up as a device and shares the rows it already holds. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Set an existing database up for sync and share the rows it already holds (adoption), with"
                + " progress; the first sync does the same otherwise. Resumable: run it again after an interruption.")
final class InitCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "the database (required)")
    String url;

    @Mixin
    Connections.LogOptions log;

    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, url, "--url");
        PrintWriter out = spec.commandLine().getOut();
        ProgressView view = new ProgressView(out, !plain && ProgressView.onTerminal());
        try (Connection c = Connections.openExisting(url, log.properties())) {
            Engine engine = (Engine) c.unwrap(SyncClient.class);
            long pushed = engine.adopt((table, scanned, total, rows) -> view.update(table, scanned, total));
            view.finishLine();
            io.jdbcsync.internal.initial.Adoption.State state;
            try (Connection raw = Connections.openRaw(url)) {
                state = io.jdbcsync.internal.initial.Adoption.state(raw);
            }
            out.printf("device %s: %d existing rows adopted in all, %d changes pushed now%n", engine.deviceId(),
                    state.adoptedRows(), pushed);
        }
        return Main.OK;
    }
}
