package io.jdbcsync.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Queries whose answer is one number or whether a row exists, as the metadata stores ask them. */
public final class ScalarQueries {
    private ScalarQueries() {
    }

    /** The first column of the first row as a number; 0 when there is no row or it is NULL. */
    public static long number(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, parameters); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** True when the query returns a row (only one is fetched). */
    public static boolean anyRow(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, parameters)) {
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, String... parameters) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
