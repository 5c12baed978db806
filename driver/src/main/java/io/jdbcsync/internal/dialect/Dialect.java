package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.value.ColumnKind;

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

    /** How the database splits SQL text into tokens and statements. */
    io.jdbcsync.internal.sql.SqlSyntax sqlSyntax();

    /** The type a plain numeric or hex literal has in this database's SQL. */
    default io.jdbcsync.internal.sql.LiteralTyping literalTyping() {
        return io.jdbcsync.internal.sql.LiteralTyping.EXACT_DECIMALS;
    }

    String quote(String identifier);

    ColumnKind columnKind(int jdbcType, String typeName);

    /**
     * Digits after the point a column keeps (see {@link io.jdbcsync.internal.schema.ColumnInfo#scale()}), from
     * its metadata; -1 when the database stores values as given.
     */
    default int storedScale(ColumnKind kind, int columnSize, int decimalDigits) {
        return -1;
    }

    /** True when an integer column of this type holds any 64-bit value. */
    default boolean holdsLong(String typeName) {
        return true;
    }

    /**
     * The largest value an integer column holds (2^63 - 1 for a 64-bit column), so generated keys
     * can be kept within it.
     */
    default long integerColumnMax(Connection c, String catalog, String table, String column) throws SQLException {
        return Long.MAX_VALUE;
    }

    /** The triggers of the database, as {table, trigger name} pairs. */
    List<String[]> triggers(Connection c, String catalog) throws SQLException;

    /**
     * The database's own statements that create a table and its indexes (no triggers), to create
     * it in another database of the same kind.
     */
    List<String> createStatements(Connection c, String table) throws SQLException;

    /** A table's columns as declared, in order: name, declared type (length, precision...), "1" when NOT NULL. */
    List<String[]> declaredColumns(Connection c, String table) throws SQLException;

    /**
     * This database's type for a column of the other kind of database (the mapping is documented in
     * docs/ARCHITECTURE.md, "Creating the target's schema").
     *
     * @param declared the type as the other database declares it, e.g. {@code VARCHAR(40)}
     * @param keyed    the column is part of the primary key, a unique constraint or an index
     */
    String columnType(ColumnKind kind, String declared, boolean keyed);

    /** What makes a column take generated integer keys when an insert leaves it out ("" when its type does). */
    default String autoIncrementClause() {
        return "";
    }

    /** Names of the database's sequence objects (none where the database has no sequences). */
    default List<String> sequences(Connection c, String catalog) throws SQLException {
        return List.of();
    }

    /**
     * A sequence's {@code {increment, largest value, next value the database would give}}, for
     * answering it from key blocks.
     */
    default long[] sequenceInfo(Connection c, String sequence) throws SQLException {
        throw new SQLException("this database has no sequence " + sequence, "42000");
    }

    /** Takes the lowest writer number of the database at {@code location} no other process holds. */
    WriterLock lockWriter(String location, WriterLock.Opener opener) throws SQLException;

    /** Columns (lower case) of a table that the database sets itself whenever a row changes. */
    default Set<String> onUpdateColumns(Connection c, String catalog, String table) throws SQLException {
        return Set.of();
    }

    /**
     * Which database/schema qualifiers (unquoted) name the database behind {@code c}: a write to
     * {@code q.t} is a write to the synced {@code t} only when this holds for {@code q}.
     */
    java.util.function.Predicate<String> localQualifier(Connection c) throws SQLException;

    /**
     * The database unqualified names refer to now (MariaDB's {@code USE} changes it), or null
     * where it cannot change; asked before every write, so it must not cost a round trip.
     */
    default String currentDatabase(Connection c) throws SQLException {
        return null;
    }

    /**
     * A cheap fingerprint of the app's tables and columns that changes whenever another process
     * changes them, to tell whether the schema must be read again before a write is refused or
     * passed through as touching no known table.
     */
    String schemaStamp(Connection c) throws SQLException;

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

    /**
     * The underlying driver's connection property that lets one text carry several statements,
     * used to send a by-key write with its log row and the commit in one round trip; null when
     * the capture does not do that on this database.
     */
    default String severalStatementsProperty() {
        return null;
    }

    /**
     * {@code sql} marked so that the underlying driver prepares it on the client even when its
     * connection prepares statements on the server ({@code useServerPrepStmts}): texts the capture
     * runs once (a plain statement's write, a write sent with its log row) gain nothing from a
     * server-side prepare and would pay two more round trips for it, and a text of several
     * statements cannot be prepared on the server at all.
     */
    default String preparedOnClient(String sql) {
        return sql;
    }

    /** True when {@link #preparedOnClient} works with the underlying driver of {@code url}. */
    default boolean preparesOnClient(String url) {
        return true;
    }

    /** Stands for a value only a read of the stored row can tell (see {@link #asStored}). */
    Object NOT_KNOWN = new Object() {
        @Override
        public String toString() {
            return "(known only by reading it back)";
        }
    };

    /** A stored value as a Java value the value codec understands. */
    Object read(ResultSet rs, int index) throws SQLException;

    /**
     * A stored value of this column, selected with {@link #selectColumn}, exactly as the database
     * holds it (no step depends on the JVM's or the session's time zone).
     */
    default Object read(ResultSet rs, int index, ColumnInfo column) throws SQLException {
        return read(rs, index);
    }

    /** The select-list expression that {@link #read(ResultSet, int, ColumnInfo)} reads. */
    default String selectColumn(ColumnInfo column) {
        return quote(column.name());
    }

    /**
     * A select-list expression for a value of a column of this kind in a read whose columns the
     * driver did not choose (the keys a WHERE selects, the rows of INSERT ... SELECT), such that
     * {@link #read(ResultSet, int)} gets it exactly as stored: on MariaDB a wall-clock DATETIME,
     * DATE or TIME as the server's text, since Connector/J moves one in a DST gap of the JVM's zone.
     */
    default String readExactly(String expression, ColumnKind kind) {
        return expression;
    }

    /**
     * The rows of {@code select} (the source of an INSERT ... SELECT into columns of these kinds,
     * in order), each value read through {@link #readExactly}.
     */
    default String readExactly(String select, List<ColumnKind> targets) {
        return select;
    }

    /**
     * The value this column holds after the app bound {@code bound} through an ordinary setter
     * (or wrote it as a literal), in the form the log records; {@link #NOT_KNOWN} when only reading
     * the stored row back can tell (conversions the database or its JDBC driver makes on its own).
     */
    Object asStored(Object bound, ColumnInfo column);

    /**
     * {@link #asStored} for a statement of this underlying connection, whose driver settings may
     * decide how dates are bound.
     */
    default Object asStored(Object bound, ColumnInfo column, Connection connection) {
        return asStored(bound, column);
    }

    /** A value {@link #read} returned, in the form the log records. */
    Object logged(Object read, ColumnInfo column);

    /**
     * Where the database has no {@code UPDATE ... RETURNING}, a {@code SET col = expression} may be
     * computed in the locking read before the write instead of read back after it. This gives, for
     * {@code column}, how a value the expression computed there (read with {@link #read(ResultSet,
     * int)}) becomes the stored one in log form: the value, or {@link #NOT_KNOWN} when storing may
     * change it (rounding, truncation or clipping to the type, NULL into NOT NULL). Null when this
     * dialect reads this column's computed values back after the write.
     */
    default java.util.function.UnaryOperator<Object> computedAsStored(ColumnInfo column) {
        return null;
    }

    /**
     * Upper-case names of the functions a SET expression computed in the locking read may call
     * ({@link #computedAsStored}): deterministic, reading nothing but their arguments.
     */
    default Set<String> plainFunctions() {
        return Set.of();
    }

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

    /** True when a {@code SAVEPOINT} outside a transaction begins one, and releasing it commits (SQLite). */
    default boolean savepointBeginsTransaction() {
        return false;
    }

    /**
     * True when a {@code ?} left unbound reads as NULL (SQLite, even in a plain statement); false
     * when the database refuses it.
     */
    default boolean unboundParameterIsNull() {
        return false;
    }

    /**
     * True when an open transaction of one connection keeps every other connection from writing
     * the database (SQLite's database-wide lock), so the sync cannot run beside it.
     */
    default boolean transactionsLockWholeDatabase() {
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
     * True when {@code e} says the server no longer knows a prepared statement of this session:
     * resetting the connection (COM_RESET_CONNECTION, as Connector/J's {@code reset()} with
     * {@code useResetConnection} or a pool does) drops them all. Preparing it again is enough.
     */
    default boolean lostPreparedStatement(SQLException e) {
        return false;
    }

    /**
     * Run after {@code setAutoCommit(false)} so that every read of the transaction sees one
     * consistent state (null: the database's transactions already read one snapshot).
     */
    default String consistentSnapshotStatement() {
        return null;
    }

    /**
     * True when the database itself accepts {@code RETURNING} on this kind of write; when it does
     * not, the driver sends such a text unchanged and the database refuses it, as without sync.
     */
    default boolean acceptsReturning(Connection c, boolean update) throws SQLException {
        return true;
    }

    /**
     * True when a range UPDATE or DELETE the database takes with {@code RETURNING} should learn its
     * rows that way rather than from a read of the keys before it; {@code computedValues}: it also
     * needs new values the database computes ({@code SET n = n + 1}) that the read before it cannot
     * compute ({@link #computedAsStored}).
     */
    default boolean prefersReturning(boolean computedValues) {
        return true;
    }

    /** What a column of a read may hold, for {@link #integerList}. */
    enum Listed {
        /** Integers only, never NULL (SQLite's rowid). */
        INTEGERS,
        /** Numbers or NULL (an arithmetic expression). */
        NUMBERS,
        /** Any value. */
        ANY
    }

    /**
     * An aggregate of a read's column {@code column} that gives all its values in one text: each
     * integer as a decimal integer, values apart by commas, NULL as {@code NULL}, and anything that
     * is not an integer in a form that cannot be read as one (the caller then reads row by row).
     * Null where the database has none, or one row per value costs no more.
     */
    default String integerList(String column, Listed holds) {
        return null;
    }

    /** True when the table's single key column can hold nothing but integers, whatever is written to it. */
    default boolean keyOnlyIntegers(Connection c, String table, String column) throws SQLException {
        return false;
    }

    /** True when {@code e} says a text or blob grew past the database's limit. */
    default boolean tooBig(SQLException e) {
        return false;
    }

    /** True when the database rolls back only the failed statement, not the transaction. */
    default boolean statementLevelRollback() {
        return true;
    }
}
