package io.jdbcsync.proxy.protocol;

/** Server status flags of OK and EOF packets. */
public final class ServerStatus {
    public static final int IN_TRANS = 1;
    public static final int AUTOCOMMIT = 2;
    public static final int MORE_RESULTS_EXISTS = 8;
    public static final int NO_GOOD_INDEX_USED = 16;
    public static final int NO_INDEX_USED = 32;
    public static final int CURSOR_EXISTS = 64;
    public static final int LAST_ROW_SENT = 128;
    public static final int DB_DROPPED = 256;
    public static final int NO_BACKSLASH_ESCAPES = 512;
    public static final int IN_TRANS_READONLY = 1 << 13;

    private ServerStatus() {
    }
}
