package io.jdbcsync.internal.cli;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.keys.KeyBlocks;
import io.jdbcsync.internal.schema.ForeignKey;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.SchemaLoader;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.schema.TableSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code check}: what sync would make of a database's schema, before sync is turned on. Reads
 * through the database's own driver only, so it writes nothing and creates no table.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Before turning sync on: list the tables that will sync and how their keys are generated, and the"
                + " schema features that do not sync well (tables without a primary key, ORM id counters, sequences,"
                + " triggers). Reads only, through the database's own driver. Exit code 0 even when it finds problems;"
                + " --strict makes them exit code 1.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "the database (required)")
    String url;

    @Option(names = "--tables", paramLabel = "T1,T2", description = "as sync.tables: sync only these")
    String tables;

    @Option(names = "--exclude", paramLabel = "T1,T2", description = "as sync.exclude: never sync these")
    String exclude;

    @Option(names = "--strict", description = "exit with 1 when a problem is found")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Connections.require(spec, url, "--url");
        PrintWriter out = spec.commandLine().getOut();
        int problems = 0;
        try (Connection raw = Connections.openRaw(url)) {
            Dialect dialect = Dialect.forUrl(raw.getMetaData().getURL());
            String catalog = raw.getCatalog();
            Schema schema = SchemaLoader.load(raw, dialect, new TableSelection(tables, exclude), 0);
            out.println("tables that sync:");
            for (TableInfo t : schema.tables()) {
                if (t.synced()) {
                    out.printf("  %-28s %s%n", t.name(), keys(raw, dialect, catalog, t));
                    for (ForeignKey fk : schema.referencing(t.name())) {
                        if (fk.onDelete() != ForeignKey.Action.NONE || fk.onUpdate() != ForeignKey.Action.NONE) {
                            out.printf("  %-28s   %s.%s: ON DELETE %s / ON UPDATE %s, captured with the statement"
                                    + " that sets it off%n", "", fk.child(), String.join(",", fk.childColumns()),
                                    fk.onDelete(), fk.onUpdate());
                        }
                    }
                }
            }
            out.println("tables that do not sync:");
            for (TableInfo t : schema.tables()) {
                if (t.synced()) {
                    continue;
                }
                if (KeyBlocks.isIdCounter(t)) {
                    problems++;
                    out.printf("! %-28s an ORM's id counter: writes to it are refused while tables sync (its ids would"
                            + " collide across devices); use generated keys (IDENTITY)%n", t.name());
                } else if (!t.hasPrimaryKey()) {
                    problems++;
                    out.printf("! %-28s no primary key: its writes are not synced; add one to sync it%n", t.name());
                } else {
                    out.printf("  %-28s excluded (sync.tables / sync.exclude, or a migration tool's table)%n", t.name());
                }
            }
            for (String sequence : dialect.sequences(raw, catalog)) {
                out.printf("  sequence %-19s NEXT VALUE FOR is answered from key blocks; other uses on synced tables"
                        + " are refused%n", sequence);
            }
            for (String[] trigger : dialect.triggers(raw, catalog)) {
                TableInfo t = schema.table(trigger[0]);
                if (t != null && t.synced()) {
                    problems++;
                    out.printf("! trigger %-20s on %s: what it writes is not captured; it runs on other devices only"
                            + " when a captured change sets it off there%n", trigger[1], trigger[0]);
                }
            }
        }
        out.println(problems == 0 ? "no problems found" : problems + " problem(s) found (lines starting with !)");
        return strict && problems > 0 ? Main.FAILED : Main.OK;
    }

    private static String keys(Connection raw, Dialect dialect, String catalog, TableInfo t) throws SQLException {
        KeyGeneration g = t.keyGeneration();
        switch (g) {
            case UUID_TEXT:
            case UUID_BINARY:
                return "generated keys: UUIDv7";
            case INTEGER_ID:
            case BLOCK_ID: {
                String column = t.primaryKey().get(0);
                long max = dialect.integerColumnMax(raw, catalog, t.name(), column);
                return max < Long.MAX_VALUE
                        ? "generated keys: ids from key blocks claimed through the shared log (" + column + " holds up to " + max + ")"
                        : "generated keys: time-ordered 63-bit ids (sync.keys=compact: ids from key blocks, below 2^53)";
            }
            default:
                return "keys given by the app (composite or not generated)";
        }
    }
}
