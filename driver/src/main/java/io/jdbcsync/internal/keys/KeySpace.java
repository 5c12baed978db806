package io.jdbcsync.internal.keys;

import java.util.Locale;

/**
 * The ids one table's key column can take from blocks: 1 to {@code max}. Its name (from the
 * table) is the same on every device, so every device claims from the same blocks.
 *
 * @param table  the app table
 * @param column its key column
 * @param max    the largest id: the column's own maximum, or 2^53 - 1 under {@code sync.keys=compact}
 */
public record KeySpace(String table, String column, long max) {

    /** Largest integer a JavaScript number (an IEEE double) holds exactly. */
    public static final long JAVASCRIPT_SAFE_MAX = (1L << 53) - 1;

    /** The ids of a database sequence (answered from blocks): no key column. */
    public static KeySpace sequence(String name, long max) {
        return new KeySpace(name, null, max);
    }

    /** The space's name in the shared log: the table (or sequence) name in lower case, other characters escaped. */
    public String name() {
        StringBuilder sb = new StringBuilder(column == null ? "s." : "t.");
        for (byte b : table.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xFF);
            if (ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_') {
                sb.append(ch);
            } else {
                sb.append('-').append(String.format("%02x", b & 0xFF));
            }
        }
        return sb.toString();
    }

    /**
     * Ids per block, for a space claimed for the first time: at least 64 blocks fit any column, and
     * blocks stay small enough that spare blocks held by many devices waste little of an INT.
     */
    long proposedBlockSize() {
        long cap = max <= 0xFFFF_FFFFL ? 1024 : 65_536;
        long size = Long.highestOneBit(Math.max(1, max / 64));
        return Math.max(1, Math.min(cap, size));
    }
}
