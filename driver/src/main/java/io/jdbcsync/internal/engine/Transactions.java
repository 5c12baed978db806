package io.jdbcsync.internal.engine;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction of the engine's connection. */
final class Transactions {

    interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {
    }

    static <T> T run(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Rolls back after {@code failure}; a failure of the rollback itself is kept as suppressed. */
    static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }
}
