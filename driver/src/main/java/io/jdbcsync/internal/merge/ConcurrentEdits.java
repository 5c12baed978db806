package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.clock.Hlc;

/**
 * Column values lost to a concurrent edit of the same column ({@link MergeRules.ConcurrentEdit}),
 * as kept in {@code _sync_conflict}: settled entries whose row holds the one losing column and
 * whose reason starts with {@link #REASON_START} and names the winning version.
 */
public final class ConcurrentEdits {
    /** How the reason of such an entry starts. */
    public static final String REASON_START = "concurrent edit of column ";

    private ConcurrentEdits() {
    }

    static String reason(String column, Version winner) {
        return REASON_START + column + ": device " + winner.device() + " wrote it (change " + Hlc.format(winner.hlc())
                + ") without having seen this value, and the newer write wins";
    }

    /** True when an entry of {@code _sync_conflict} with this reason is a concurrent edit's loss. */
    public static boolean is(String reason) {
        return reason != null && reason.startsWith(REASON_START);
    }
}
