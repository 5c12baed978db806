package io.jdbcsync.internal.cli;

import io.jdbcsync.initial.Clone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code clone}: a new device from an existing one, at copy speed. */
@Command(name = "clone", mixinStandardHelpOptions = true,
        description = "Copy every synced table of the source device into the target database and make the target a"
                + " member of the group at the source's position. The target's schema must exist (the app's migrations)"
                + " unless --create-schema creates it."
                + " Interrupted, the same command continues from its checkpoint.")
final class CloneCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "URL", description = "the source device's database (required)")
    String from;

    @Option(names = "--to", paramLabel = "URL", description = "the target database (required)")
    String to;

    @Mixin
    Connections.LogOptions log;

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "5000", description = "rows per chunk and checkpoint (default ${DEFAULT-VALUE})")
    int chunkRows;

    @Option(names = "--create-schema", description = "create the synced tables the target lacks from the source's schema"
            + " (keys, unique constraints, indexes, foreign keys; SQLite <-> MariaDB types mapped as the architecture document says)")
    boolean createSchema;

    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, from, "--from");
        Connections.require(spec, to, "--to");
        PrintWriter out = spec.commandLine().getOut();
        if (chunkRows < 1) {
            throw new IllegalArgumentException("--chunk-rows must be at least 1");
        }
        Properties p = log.properties();
        // Both must exist: checked (and the URLs normalised) before anything is written.
        String source = Connections.existing(from, p);
        String target = Connections.existing(to, p);
        {
            ProgressView view = new ProgressView(out, !plain && ProgressView.onTerminal());
            long start = System.nanoTime();
            Clone.Result r = Clone.from(source).to(target)
                    .properties(p).chunkRows(chunkRows).createSchema(createSchema)
                    .listener(e -> {
                        if (e.table() != null) {
                            view.update(e.table(), e.tableRows(), e.tableTotal());
                        }
                    }).run();
            view.finishLine();
            if (r.alreadyDone()) {
                out.printf("the target (device %s) is already a clone of device %s: nothing to do%n", r.targetDevice(), r.sourceDevice());
            } else {
                out.printf("cloned device %s into device %s: %d rows copied, %d merged with the target's own, in %.1f s%n",
                        r.sourceDevice(), r.targetDevice(), r.rowsCopied(), r.rowsMerged(), (System.nanoTime() - start) / 1e9);
            }
        }
        return Main.OK;
    }
}
