package io.jdbcsync.dialect;

import io.jdbcsync.schema.KeyGeneration;
import io.jdbcsync.value.ColumnKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Everything that differs between the databases the driver wraps. The capture, merge and sync code
 * is written once against this interface; no other class asks which database it is talking to.
 */
public interface Dialect {

    /** The dialect for an underlying JDBC URL, or null if the driver does not support it. */
    static Dialect forUrl(String underlyingUrl) {
        if (underlyingUrl.startsWith("jdbc:sqlite:")) {
            return SqliteDialect.INSTANCE;
        }
        if (underlyingUrl.startsWith("jdbc:mariadb:") || underlyingUrl.startsWith("jdbc:mysql:")) {
            return MariaDbDialect.INSTANCE;
        }
        return null;
    }

    String name();

    /** Where this database lives (file path, or server and schema), to tell a copy from its original. */
    String databaseLocation(java.sql.Connection c) throws SQLException;

    /** True when a backslash escapes the next character inside string literals. */
    boolean backslashEscapes();

    String quote(String identifier);

    ColumnKind columnKind(int jdbcType, String typeName);

    /**
     * Digits after the point a column keeps (see {@link io.jdbcsync.schema.ColumnInfo#scale()}), from
     * its metadata; -1 when the database stores values as given.
     */
    default int storedScale(ColumnKind kind, int columnSize, int decimalDigits) {
        return -1;
    }

    /** True when an integer column of this type holds any 64-bit value. */
    default boolean holdsLong(String typeName) {
        return true;
    }

    /** Columns (lower case) of a table that the database sets itself whenever a row changes. */
    default Set<String> onUpdateColumns(Connection c, String catalog, String table) throws SQLException {
        return Set.of();
    }

    /** Tables the database keeps for itself (never app tables). */
    boolean isInternalTable(String name);

    /** DDL creating the sync metadata tables if they do not exist yet, run on every new connection. */
    List<String> metadataDdl();

    /** The SQL a generated key is bound through in an insert, so that "last insert id" reports it. */
    String generatedKeyParameter(KeyGeneration generation);

    /** Appended to the reads that find the rows a write will touch, to lock them until commit. */
    String lockingReadSuffix();

    /**
     * A statement that takes the write lock without changing anything, run before a capture reads
     * the rows a write will touch; null when the locking reads do that already.
     */
    default String writeLockStatement() {
        return null;
    }

    /** A stored value as a Java value the value codec understands. */
    Object read(ResultSet rs, int index) throws SQLException;

    /** Binds a value from the log (possibly written by another database kind) into a column of kind. */
    void bind(PreparedStatement ps, int index, Object value, ColumnKind kind) throws SQLException;

    /**
     * Statements run once on the sync engine's own connection. Foreign keys are not checked there:
     * changes from other devices arrive in any order (a child before its parent), and every device
     * converges to a state its own app already checked.
     */
    List<String> syncSessionSetup();

    /** Connection properties of the sync engine's own connection (beside the app's). */
    java.util.Properties syncConnectionProperties();

    /** Appended to a read that must see (and wait for) rows other transactions committed meanwhile. */
    String currentReadSuffix();

    /** An insert of {@code columns} that updates them instead when a row with the same primary key exists. */
    String upsert(String table, List<String> columns, List<String> primaryKey);

    /** SQL for an insert that replaces an existing row with the same key. */
    String upsertPrefix();

    /** SQL for an insert that does nothing when the key exists. */
    String insertIgnorePrefix();

    /**
     * True when a {@code ?} left unbound reads as NULL (SQLite, even in a plain statement); false
     * when the database refuses it.
     */
    default boolean unboundParameterIsNull() {
        return false;
    }

    /**
     * True when the update count of a statement that changes no rows (DDL, BEGIN, PRAGMA), as a
     * prepared statement or {@code getUpdateCount()} reports it, is the count of the connection's
     * last INSERT, UPDATE or DELETE (SQLite's {@code changes()}), so that the driver's own log
     * writes would show through. ({@code Statement.executeUpdate(String)} counts the statement's
     * own changes on SQLite.)
     */
    default boolean countCarriesOver() {
        return false;
    }

    /**
     * True when {@code e}, from a write through {@code c}, says that this connection may not
     * write (a read-only connection, file or server, or a user without the privilege).
     */
    boolean refusesWrites(Connection c, SQLException e);

    /**
     * True when the database itself accepts {@code RETURNING} on this kind of write; when it does
     * not, the driver sends such a text unchanged and the database refuses it, as without sync.
     */
    default boolean acceptsReturning(Connection c, boolean update) throws SQLException {
        return true;
    }

    /** True when the database rolls back only the failed statement, not the transaction. */
    default boolean statementLevelRollback() {
        return true;
    }
}
