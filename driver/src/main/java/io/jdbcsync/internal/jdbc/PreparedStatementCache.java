package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.capture.StatementSource;
import io.jdbcsync.internal.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The underlying statements a captured statement runs (rewritten insert, key lookups, reads back),
 * prepared once and reused across executions; bounded, closed with their owner.
 */
final class PreparedStatementCache implements StatementSource, AutoCloseable {
    private static final int CAPACITY = 16;

    private final Connection raw;
    private final String ownSql;
    private final PreparedStatement own;
    private final Dialect dialect;
    private final boolean allOnClient;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * {@code own} is the app's statement for {@code ownSql}, reused when the capture runs that very
     * text. With {@code allOnClient} (a plain statement's writes: each text is run about once),
     * every statement is prepared on the client.
     */
    PreparedStatementCache(Connection raw, String ownSql, PreparedStatement own, Dialect dialect, boolean allOnClient) {
        this.raw = raw;
        this.ownSql = ownSql;
        this.own = own;
        this.dialect = dialect;
        this.allOnClient = allOnClient;
    }

    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
        return prepare(sql, allOnClient);
    }

    @Override
    public PreparedStatement prepareOnClient(String sql) throws SQLException {
        return prepare(sql, true);
    }

    private PreparedStatement prepare(String sql, boolean onClient) throws SQLException {
        if (own != null && sql.equals(ownSql)) {
            own.clearParameters();
            return own;
        }
        String text = onClient ? dialect.preparedOnClient(sql) : sql;
        PreparedStatement ps = cache.get(text);
        if (ps == null || ps.isClosed()) {
            ps = raw.prepareStatement(text);
            cache.put(text, ps);
            if (cache.size() > CAPACITY) {
                Iterator<PreparedStatement> eldest = cache.values().iterator();
                PreparedStatement evicted = eldest.next();
                eldest.remove();
                evicted.close();
            }
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        cache.clear();
        if (first != null) {
            throw first;
        }
    }
}
