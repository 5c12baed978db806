package io.jdbcsync.internal.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long operation, per table: a bar redrawn in place on a terminal (rows, rows/s,
 * ETA), plain lines at most every few seconds otherwise (logs, pipes, CI).
 */
final class ProgressView {
    private static final int WIDTH = 24;
    private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private String table;
    private long tableStart;
    private long lastPrinted;
    private int lastWidth;

    /** A table (or phase) shows progress only from this long after its first update: quick work shows only its result. */
    private final long quietNanos;

    ProgressView(PrintWriter out, boolean terminal) {
        this(out, terminal, 0);
    }

    ProgressView(PrintWriter out, boolean terminal, long quietMillis) {
        this.out = out;
        this.terminal = terminal;
        this.quietNanos = quietMillis * 1_000_000L;
    }

    /** True when standard output is an interactive terminal. */
    static boolean onTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    synchronized void update(String table, long done, long total) {
        update(table, done, total, "rows");
    }

    /** {@code total} below 0: not known, so no bar and no ETA. */
    synchronized void update(String table, long done, long total, String unit) {
        long now = System.nanoTime();
        if (!table.equals(this.table)) {
            finishLine();
            this.table = table;
            tableStart = now;
            lastPrinted = now - PLAIN_EVERY_NANOS; // the first line prints at once
        }
        if (now - tableStart < quietNanos) {
            return;
        }
        double seconds = Math.max(1e-3, (now - tableStart) / 1e9);
        double rate = done / seconds;
        String eta = total > done && rate > 0 ? duration((long) ((total - done) / rate)) : "0:00";
        if (total < 0) {
            String line = String.format(Locale.ROOT, "%s: %,d %s, %,.0f %s/s", table, done, unit, rate, unit);
            if (terminal) {
                out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                lastWidth = line.length();
                out.flush();
            } else if (now - lastPrinted >= PLAIN_EVERY_NANOS) {
                out.println(line);
                lastPrinted = now;
            }
            return;
        }
        if (terminal) {
            int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
            String line = String.format(Locale.ROOT, "%-20s [%s%s] %,d/%,d %s  %,.0f %s/s  ETA %s", table,
                    "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, unit, rate, unit, eta);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else if (now - lastPrinted >= PLAIN_EVERY_NANOS || done >= total) {
            out.println(String.format(Locale.ROOT, "%s: %,d/%,d %s, %,.0f %s/s, ETA %s", table, done, total, unit, rate, unit, eta));
            lastPrinted = now;
        }
    }

    synchronized void finishLine() {
        if (terminal && lastWidth > 0) {
            out.println();
            lastWidth = 0;
        }
    }

    private static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
