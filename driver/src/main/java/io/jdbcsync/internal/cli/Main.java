package io.jdbcsync.internal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code jdbc-sync} command line. Exit codes: 0 success, 1 the operation failed (the message
 * says what), 2 the command line itself is wrong (unknown command or option, missing value).
 */
@Command(name = "jdbc-sync", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sync for the database your app already uses: set up, sync, inspect and clone devices.",
        subcommands = {DemoCommand.class, CheckCommand.class, InitCommand.class, SyncCommand.class, StatusCommand.class, ConflictsCommand.class,
                CloneCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "URLs are jdbc:sync: URLs (jdbc:sqlite:/jdbc:mariadb: are accepted and prefixed); options may also be",
                "given as sync.* URL parameters, e.g. ?sync.log=/shared/folder. Commands open existing databases only."})
public final class Main implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(o);
        cl.setErr(e);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, command, parsed) -> {
            command.getErr().println("error: " + Problems.describe(ex));
            return ex instanceof IllegalArgumentException ? USAGE : FAILED;
        });
        int code = cl.execute(args);
        o.flush();
        e.flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jdbc-sync " + io.jdbcsync.SyncDriver.version(),
                    "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name")};
        }
    }
}
