package io.jdbcsync.internal.diagnostics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A failure described for the operator's log on one line, down to its root cause: the outermost
 * message alone often hides what went wrong ("compaction failed" over "No space left on device").
 */
public final class Causes {
    private Causes() {
    }

    /** {@code e}'s message and those of its causes, innermost last: "A: x; caused by B: y". */
    public static String of(Throwable e) {
        StringBuilder out = new StringBuilder(e.toString());
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(e);
        for (Throwable c = e.getCause(); c != null && seen.add(c); c = c.getCause()) {
            out.append("; caused by ").append(c);
        }
        return out.toString();
    }
}
