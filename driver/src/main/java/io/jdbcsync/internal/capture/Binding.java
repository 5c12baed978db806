package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.value.Temporals;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * A value the app bound to a parameter: the value as the log records it, and how to hand it to
 * the underlying driver exactly as the app did (same setter, same type hints).
 */
public interface Binding {

    Object value();

    void apply(PreparedStatement ps, int index) throws SQLException;

    /**
     * False when the setter converts on its own (a {@code Calendar} or a target SQL type), so the
     * stored value can only be read back, never taken from {@link #value()}.
     */
    default boolean plain() {
        return true;
    }

    /** A binding through {@code setObject}, used for values the driver itself supplies. */
    static Binding of(Object value) {
        return new Binding() {
            @Override
            public Object value() {
                return value;
            }

            @Override
            public void apply(PreparedStatement ps, int index) throws SQLException {
                // Wall-clock values read from the database go back as the server's own text: no
                // zone conversion in the JDBC driver, negative and long TIME values included.
                if (value instanceof LocalDateTime t) {
                    ps.setString(index, Temporals.format(t));
                } else if (value instanceof LocalTime t) {
                    ps.setString(index, Temporals.format(t));
                } else if (value instanceof Duration d) {
                    ps.setString(index, Temporals.format(d));
                } else if (value instanceof LocalDate d) {
                    ps.setString(index, d.toString());
                } else {
                    ps.setObject(index, value);
                }
            }

            @Override
            public String toString() {
                return String.valueOf(value);
            }
        };
    }
}
