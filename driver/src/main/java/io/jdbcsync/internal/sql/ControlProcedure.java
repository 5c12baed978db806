package io.jdbcsync.internal.sql;

import java.util.Locale;

/** The procedures the driver answers itself ({@code CALL sync_...()}); other CALLs go to the database. */
public enum ControlProcedure {
    STATUS("sync_status"),
    NOW("sync_now"),
    DEVICES("sync_devices"),
    CONFLICTS("sync_conflicts"),
    COMPACT("sync_compact"),
    /** Its argument is the device id to retire. */
    RETIRE("sync_retire"),
    KEYS("sync_keys"),
    /** {@code NEXT VALUE FOR s} / {@code NEXTVAL(s)} on MariaDB, answered from key blocks; its argument is the sequence. */
    NEXT_VALUE("sync_nextval");

    private final String sqlName;

    ControlProcedure(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The procedure a {@code CALL name(...)} names, or null when it is not the driver's. */
    static ControlProcedure called(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ControlProcedure p : values()) {
            if (p != NEXT_VALUE && p.sqlName.equals(lower)) {
                return p;
            }
        }
        return null;
    }

    /** The name the app writes after {@code CALL}. */
    @Override
    public String toString() {
        return sqlName;
    }
}
