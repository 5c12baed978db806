package io.jdbcsync.internal.capture;

import java.sql.SQLException;

/** A write to a synced table that the driver refuses because it cannot log it exactly; nothing ran. */
public class UncapturableWriteException extends SQLException {
    private static final long serialVersionUID = 1L;

    public UncapturableWriteException(String sql, String reason) {
        super("jdbc-sync cannot capture this write, so it was not executed: " + reason + " [SQL: " + abbreviate(sql)
                + "]. Rewrite the statement, exclude the table (sync.exclude), or set sync.on-uncapturable=pass"
                + " to let such writes through unsynced.", "0A000");
    }

    static String abbreviate(String sql) {
        String s = sql.strip();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
