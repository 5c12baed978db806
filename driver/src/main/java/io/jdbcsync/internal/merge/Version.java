package io.jdbcsync.internal.merge;

/**
 * When and where a value was written: the hybrid-logical-clock timestamp, then the device id as
 * tie-break. The order is total, so every device picks the same winner.
 */
public record Version(long hlc, String device) implements Comparable<Version> {
    /** Older than anything: the version of rows that existed before sync was switched on. */
    public static final Version ORIGIN = new Version(0, "");

    /**
     * Clock values below this are adoption stamps, not times (they would be the first 65 seconds of
     * 1970): rows that existed before sync, shared by their device's first sync. An adoption is
     * older than every real write; between two adoptions of one row, the device id decides.
     */
    public static final long ADOPTION_LIMIT = 1L << 32;

    public boolean adoption() {
        return hlc > 0 && hlc < ADOPTION_LIMIT;
    }

    @Override
    public int compareTo(Version o) {
        if (adoption() && o.adoption() && !device.equals(o.device)) {
            return device.compareTo(o.device);
        }
        int c = Long.compare(hlc, o.hlc);
        return c != 0 ? c : device.compareTo(o.device);
    }

    public boolean newerThan(Version o) {
        return compareTo(o) > 0;
    }

    public static Version max(Version a, Version b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
