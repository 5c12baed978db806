package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnDefinition;
import io.jdbcsync.proxy.protocol.ColumnType;
import io.jdbcsync.proxy.protocol.Command;
import io.jdbcsync.proxy.protocol.EofPacket;
import io.jdbcsync.proxy.protocol.ErrPacket;
import io.jdbcsync.proxy.protocol.OkPacket;
import io.jdbcsync.proxy.protocol.ProtocolException;
import io.jdbcsync.proxy.protocol.ServerStatus;
import io.jdbcsync.proxy.protocol.Wire;
import io.jdbcsync.proxy.protocol.Capabilities;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client session: owns one backend connection for its whole life (see "Session pinning" in
 * docs/ARCHITECTURE.md) and answers the commands of the command phase. Runs on a worker thread,
 * one command at a time.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final Pattern USE = Pattern.compile("(?is)\\s*USE\\s+`?([^`;\\s]+)`?\\s*;?\\s*");
    private static final Pattern SET_NAMES = Pattern.compile("(?is)\\s*SET\\s+(NAMES|CHARACTER\\s+SET|CHARSET)\\s+.*");
    private static final Pattern WRITE = Pattern.compile(
            "(?is)\\s*(INSERT|REPLACE|UPDATE|DELETE|TRUNCATE|ALTER|DROP|CREATE|RENAME|LOAD|CALL|WITH)\\b.*");
    private static final int STATUS_MASK = ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT
            | ServerStatus.NO_BACKSLASH_ESCAPES | ServerStatus.IN_TRANS_READONLY;

    /** Rows are streamed from the backend in batches of this size: memory stays bounded for any result. */
    private static final int STREAM_ROWS = 512;

    private final Backend backend;
    private final PacketSink out;
    private final long maxPacket;
    private Connection connection;
    private org.mariadb.jdbc.Connection raw;
    private int capabilities;
    private String database;
    private final Map<Integer, ServerStatement> statements = new HashMap<>();
    private int nextStatementId = 1;

    /** What the session reports for metrics. */
    public interface Events {
        void command(int command);

        void error();
    }

    private final Events events;
    private final Pattern namesSyncedDatabase;

    public Session(Backend backend, PacketSink out, long maxPacket, Events events) {
        this.events = events;
        this.backend = backend;
        this.namesSyncedDatabase = Pattern.compile("(?i)(^|[^\\w$])`?" + Pattern.quote(backend.database()) + "`?\\s*\\.");
        this.out = out;
        this.maxPacket = maxPacket;
    }

    /** Takes the backend connection; returns its connection id, which the client sees as its own. */
    public long open() throws SQLException {
        connection = backend.connection();
        raw = connection.unwrap(org.mariadb.jdbc.Connection.class);
        database = backend.database();
        return raw.getThreadId();
    }

    /** After authentication: the negotiated capabilities and the database the client asked for. */
    public void start(int capabilities, String initialDatabase) throws SQLException {
        this.capabilities = capabilities;
        if (initialDatabase != null && !initialDatabase.equals(database)) {
            useDatabase(initialDatabase);
        }
    }

    public int status() {
        try {
            return raw.getContext().getServerStatus() & STATUS_MASK;
        } catch (RuntimeException e) {
            return ServerStatus.AUTOCOMMIT;
        }
    }

    public boolean inTransaction() {
        return raw != null && (status() & ServerStatus.IN_TRANS) != 0;
    }

    private int warnings() {
        return raw.getContext().getWarning();
    }

    private boolean deprecateEof() {
        return (capabilities & Capabilities.DEPRECATE_EOF) != 0;
    }

    /**
     * Answers one command packet.
     *
     * @return false when the session is over (COM_QUIT, a lost backend connection, a broken packet)
     */
    public boolean handle(int firstSequence, int lastSequence, ByteBuf payload) {
        out.reset(lastSequence);
        int command = -1;
        try {
            if (firstSequence != 0) {
                throw new ProtocolException("a command must start a new sequence, got sequence id " + firstSequence);
            }
            command = payload.readUnsignedByte();
            events.command(command);
            boolean more = dispatch(command, payload);
            out.flush();
            return more;
        } catch (PacketSink.ClientGoneException e) {
            return false;
        } catch (SQLException e) {
            // Our own answers (unknown command: 08S01) keep the session; a broken backend does not.
            boolean lost = e instanceof java.sql.SQLNonTransientConnectionException || backendClosed();
            error(Errors.code(e), e.getSQLState(), Errors.message(e));
            if (lost) {
                LOG.warn("backend connection lost: {}", e.getMessage());
            }
            return !lost;
        } catch (ProtocolException | IndexOutOfBoundsException | IllegalArgumentException e) {
            LOG.debug("malformed packet (command {}): {}", command, e.toString());
            error(ErrPacket.ER_NET_READ_ERROR, "08S01", "Malformed communication packet: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.error("command {} failed", command, e);
            error(ErrPacket.ER_UNKNOWN_ERROR, "HY000", "proxy error: " + e);
            return true;
        }
    }

    private boolean backendClosed() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private void error(int code, String state, String message) {
        events.error();
        try {
            out.send(new ErrPacket(code, state, message).encode(out.alloc()));
            out.flush();
        } catch (PacketSink.ClientGoneException ignored) {
            // Nobody left to tell.
        }
    }

    private boolean dispatch(int command, ByteBuf payload) throws SQLException {
        switch (command) {
            case Command.QUIT:
                return false;
            case Command.PING:
                ok(0, 0);
                return true;
            case Command.INIT_DB:
                useDatabase(Wire.readRest(payload));
                ok(0, 0);
                return true;
            case Command.QUERY:
                query(queryText(payload));
                return true;
            case Command.FIELD_LIST:
                fieldList(Wire.readNulString(payload));
                return true;
            case Command.STMT_PREPARE:
                prepare(queryText(payload));
                return true;
            case Command.STMT_EXECUTE:
                execute(payload);
                return true;
            case Command.STMT_SEND_LONG_DATA: {
                ServerStatement st = statements.get(payload.readIntLE());
                int parameter = payload.readUnsignedShortLE();
                if (st != null) {
                    st.appendLongData(parameter, payload, maxPacket);
                }
                return true;
            }
            case Command.STMT_CLOSE: {
                ServerStatement st = statements.remove(payload.readIntLE());
                if (st != null) {
                    st.close();
                }
                return true;
            }
            case Command.STMT_RESET: {
                statement(payload.readIntLE()).reset();
                ok(0, 0);
                return true;
            }
            case Command.SET_OPTION: {
                int option = payload.readUnsignedShortLE();
                if (option == 0) {
                    throw new SQLException("multi-statements are not supported by the proxy", "42000",
                            ErrPacket.ER_NOT_SUPPORTED_YET);
                }
                if (option != 1) {
                    throw new SQLException("Unknown option " + option, "HY000", ErrPacket.ER_UNKNOWN_COM_ERROR);
                }
                endOfRows(status());
                return true;
            }
            case Command.RESET_CONNECTION:
                resetConnection();
                ok(0, 0);
                return true;
            default:
                throw new SQLException("Unknown command", "08S01", ErrPacket.ER_UNKNOWN_COM_ERROR);
        }
    }

    private String queryText(ByteBuf payload) {
        byte[] sql = new byte[payload.readableBytes()];
        payload.readBytes(sql);
        return QueryText.decode(sql, (status() & ServerStatus.NO_BACKSLASH_ESCAPES) == 0);
    }

    // ---- databases ----------------------------------------------------------------------------

    private void useDatabase(String name) throws SQLException {
        connection.setCatalog(name);
        database = name;
    }

    private boolean onSyncedDatabase() {
        return backend.database().equalsIgnoreCase(database);
    }

    /**
     * The connection a statement runs on: the syncing one in the synced database, the plain one in
     * any other (those databases are not synced). A write in another database that names the
     * synced one would escape capture, so it is refused.
     */
    private Connection connectionFor(String sql) throws SQLException {
        if (onSyncedDatabase()) {
            return connection;
        }
        if (WRITE.matcher(sql).matches() && namesSyncedDatabase.matcher(sql).find()) {
            throw new SQLException("writes to the synced database " + backend.database() + " must be made while it is"
                    + " the current database (USE " + backend.database() + ")", "42000", ErrPacket.ER_NOT_SUPPORTED_YET);
        }
        return raw;
    }

    private void refreshDatabase() {
        String current = raw.getContext().getDatabase();
        if (current != null) {
            database = current;
        }
    }

    // ---- text protocol ------------------------------------------------------------------------

    private void query(String sql) throws SQLException {
        Matcher use = USE.matcher(sql);
        if (use.matches()) {
            useDatabase(use.group(1));
            ok(0, 0);
            return;
        }
        if (SET_NAMES.matcher(sql).matches()) {
            // Clients always get utf8mb4 from the proxy; the backend connection keeps its own.
            ok(0, 0);
            return;
        }
        try (Statement st = connectionFor(sql).createStatement()) {
            st.setFetchSize(STREAM_ROWS);
            boolean isResult = st.execute(sql, Statement.RETURN_GENERATED_KEYS);
            sendResults(st, isResult, false);
        } finally {
            refreshDatabase();
        }
    }

    private void sendResults(Statement st, boolean isResult, boolean binary) throws SQLException {
        while (true) {
            boolean hasMore;
            if (isResult) {
                try (ResultSet rs = st.getResultSet()) {
                    ColumnDefinition[] defs = ColumnDefinitions.of(rs.getMetaData());
                    sendColumns(defs, false);
                    while (rs.next()) {
                        out.send(binary ? RowEncoder.binary(out.alloc(), rs, defs) : RowEncoder.text(out.alloc(), rs, defs));
                    }
                }
                isResult = st.getMoreResults();
                hasMore = isResult || st.getUpdateCount() != -1;
                endOfRows(status() | (hasMore ? ServerStatus.MORE_RESULTS_EXISTS : 0));
            } else {
                long count = st.getLargeUpdateCount();
                long id = count > 0 ? lastInsertId(st) : 0;
                isResult = st.getMoreResults();
                hasMore = isResult || st.getUpdateCount() != -1;
                out.send(OkPacket.of(Math.max(count, 0), id,
                        status() | (hasMore ? ServerStatus.MORE_RESULTS_EXISTS : 0), warnings()).encode(out.alloc()));
            }
            if (!hasMore) {
                return;
            }
        }
    }

    /** The first key the statement generated (the driver's key for synced tables), or 0. */
    private static long lastInsertId(Statement st) {
        try (ResultSet keys = st.getGeneratedKeys()) {
            if (keys != null && keys.next()) {
                String s = keys.getString(1);
                if (s != null && s.matches("\\d+")) {
                    return new BigInteger(s).longValue();
                }
            }
        } catch (SQLException e) {
            LOG.debug("no generated keys: {}", e.getMessage());
        }
        return 0;
    }

    private void sendColumns(ColumnDefinition[] defs, boolean fieldList) {
        if (!fieldList) {
            ByteBuf count = out.alloc().buffer(9);
            Wire.writeLenenc(count, defs.length);
            out.send(count);
        }
        for (ColumnDefinition def : defs) {
            out.send(def.encode(out.alloc(), fieldList));
        }
        if (!deprecateEof() && !fieldList) {
            out.send(new EofPacket(warnings(), status()).encode(out.alloc()));
        }
    }

    private void endOfRows(int status) {
        if (deprecateEof()) {
            out.send(new OkPacket(0xFE, 0, 0, status, warnings(), "").encode(out.alloc()));
        } else {
            out.send(new EofPacket(warnings(), status).encode(out.alloc()));
        }
    }

    private void ok(long affected, long lastInsertId) {
        out.send(OkPacket.of(affected, lastInsertId, status(), 0).encode(out.alloc()));
    }

    private void fieldList(String table) throws SQLException {
        String quoted = "`" + table.replace("`", "``") + "`";
        try (Statement st = connectionFor("SELECT").createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + quoted + " LIMIT 0")) {
            ColumnDefinition[] defs = ColumnDefinitions.of(rs.getMetaData());
            sendColumns(defs, true);
        }
        endOfRows(status());
    }

    // ---- binary protocol ----------------------------------------------------------------------

    private void prepare(String sql) throws SQLException {
        int parameters = Parameters.count(sql);
        PreparedStatement ps = connectionFor(sql).prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
        ps.setFetchSize(STREAM_ROWS);
        ColumnDefinition[] columns;
        try {
            ResultSetMetaData md = ps.getMetaData();
            columns = md == null ? new ColumnDefinition[0] : ColumnDefinitions.of(md);
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        int id = nextStatementId++;
        statements.put(id, new ServerStatement(id, sql, ps, parameters));
        ByteBuf head = out.alloc().buffer(12);
        head.writeByte(0x00);
        head.writeIntLE(id);
        head.writeShortLE(columns.length);
        head.writeShortLE(parameters);
        head.writeByte(0);
        head.writeShortLE(0);
        out.send(head);
        if (parameters > 0) {
            ColumnDefinition param = new ColumnDefinition("", "", "", "?", "", ColumnType.BINARY_CHARSET,
                    0, ColumnType.VAR_STRING, ColumnType.FLAG_BINARY, 0);
            for (int i = 0; i < parameters; i++) {
                out.send(param.encode(out.alloc(), false));
            }
            if (!deprecateEof()) {
                out.send(new EofPacket(0, status()).encode(out.alloc()));
            }
        }
        if (columns.length > 0) {
            for (ColumnDefinition c : columns) {
                out.send(c.encode(out.alloc(), false));
            }
            if (!deprecateEof()) {
                out.send(new EofPacket(0, status()).encode(out.alloc()));
            }
        }
    }

    private ServerStatement statement(int id) throws SQLException {
        ServerStatement st = statements.get(id);
        if (st == null) {
            throw new SQLException("Unknown prepared statement handler (" + id + ") given to mysqld_stmt_execute",
                    "HY000", ErrPacket.ER_UNKNOWN_STMT_HANDLER);
        }
        return st;
    }

    private void execute(ByteBuf payload) throws SQLException {
        ServerStatement st = statement(payload.readIntLE());
        payload.readUnsignedByte(); // cursor flags: results are always sent in full
        payload.readIntLE(); // iteration count, always 1
        st.bind(payload);
        try {
            boolean isResult = st.statement.execute();
            sendResults(st.statement, isResult, true);
        } finally {
            refreshDatabase();
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    private void closeStatements() {
        for (ServerStatement st : statements.values()) {
            try {
                st.close();
            } catch (SQLException e) {
                LOG.debug("closing a prepared statement: {}", e.getMessage());
            }
        }
        statements.clear();
    }

    private void resetConnection() throws SQLException {
        closeStatements();
        if (!connection.getAutoCommit() || inTransaction()) {
            connection.rollback();
        }
        connection.setAutoCommit(true);
        String db = database;
        raw.reset();
        useDatabase(db);
    }

    /** Ends the session: rolls back what the client left open and returns a clean connection to the pool. */
    public void close() {
        if (connection == null) {
            return;
        }
        closeStatements();
        try {
            if (!connection.isClosed()) {
                if (!connection.getAutoCommit() || inTransaction()) {
                    connection.rollback();
                }
                connection.setAutoCommit(true);
                // Session variables, temporary tables, user variables and locks must not reach the next client.
                raw.reset();
                connection.setCatalog(backend.database());
            }
        } catch (SQLException e) {
            LOG.debug("resetting a backend connection failed, evicting it: {}", e.getMessage());
            backend.evict(connection);
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a backend connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
