package io.jdbcsync.internal.cli;

import io.jdbcsync.SyncClient;
import io.jdbcsync.SyncListener;
import io.jdbcsync.SyncProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
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

    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;

    @Option(names = "--progress-after", paramLabel = "MS", defaultValue = "1000",
            description = "show the progress of a push or pull once it has run this many milliseconds (default ${DEFAULT-VALUE}):"
                    + " a quick sync prints only its result")
    long progressAfter;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, url, "--url");
        PrintWriter out = spec.commandLine().getOut();
        ProgressView view = new ProgressView(out, !plain && ProgressView.onTerminal(), Math.max(0, progressAfter));
        SyncListener progress = new SyncListener() {
            @Override
            public void progress(SyncProgress p) {
                view.update(p.phase() == SyncProgress.Phase.PUSH ? "push" : "pull from " + p.device(),
                        p.changes(), p.totalChanges(), "changes");
            }
        };
        try (Connection c = Connections.openExisting(url, log.properties())) {
            SyncClient client = c.unwrap(SyncClient.class);
            client.addListener(progress);
            SyncClient.SyncResult r;
            try {
                r = client.syncNow();
            } finally {
                client.removeListener(progress);
                view.finishLine();
            }
            out.printf("pushed %d, pulled %d, applied %d, conflicts %d%n", r.pushed(), r.pulled(), r.applied(), r.conflicts());
        }
        return Main.OK;
    }
}
