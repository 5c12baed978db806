package io.jdbcsync.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** The {@code jdbc-sync} command line. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo":
                    return new DemoCommand(out).run(Options.parse(rest));
                case "sync":
                    return new SyncCommand(out).run(Options.parse(rest));
                case "status":
                    return new StatusCommand(out).run(Options.parse(rest));
                default:
                    err.println("unknown command '" + args[0] + "'");
                    usage(err);
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: java -jar jdbc-sync-cli.jar <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  demo   [--devices 2|3] [--dir DIR]   three SQLite devices change the same data, sync through a");
        out.println("                                         local folder and converge; shows how conflicts were decided");
        out.println("  sync   --url JDBC_URL [--log LOCATION] push, pull and integrate once (CALL sync_now())");
        out.println("  status --url JDBC_URL [--log LOCATION] device id, pending changes, last sync, per-device progress");
        out.println();
        out.println("JDBC_URL is a jdbc:sync:... URL (jdbc:sqlite:/jdbc:mariadb: URLs are accepted and prefixed);");
        out.println("options may also be given as sync.* URL parameters, e.g. ?sync.log=/shared/folder");
    }
}
