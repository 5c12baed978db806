package io.jdbcsync.capture;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A value the app bound to a parameter: the value as the log records it, and how to hand it to
 * the underlying driver exactly as the app did (same setter, same type hints).
 */
public interface Binding {

    Object value();

    void apply(PreparedStatement ps, int index) throws SQLException;

    /** A binding through {@code setObject}, used for values the driver itself supplies. */
    static Binding of(Object value) {
        return new Binding() {
            @Override
            public Object value() {
                return value;
            }

            @Override
            public void apply(PreparedStatement ps, int index) throws SQLException {
                ps.setObject(index, value);
            }

            @Override
            public String toString() {
                return String.valueOf(value);
            }
        };
    }
}
