package io.jdbcsync.internal.jdbc;

import java.sql.SQLException;
import java.sql.Wrapper;

/** {@code unwrap}/{@code isWrapperFor} of a wrapper: itself first, then the underlying object and what it wraps. */
final class Unwrapping {

    private Unwrapping() {
    }

    static <T> T unwrap(Object self, Wrapper raw, Class<T> iface) throws SQLException {
        if (iface.isInstance(self)) {
            return iface.cast(self);
        }
        if (iface.isInstance(raw)) {
            return iface.cast(raw);
        }
        if (raw.isWrapperFor(iface)) {
            return raw.unwrap(iface);
        }
        // Some drivers (SQLite's) cast blindly in unwrap; JDBC promises an SQLException instead.
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    static boolean isWrapperFor(Object self, Wrapper raw, Class<?> iface) throws SQLException {
        return iface.isInstance(self) || iface.isInstance(raw) || raw.isWrapperFor(iface);
    }
}
