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
import io.jdbcsync.internal.sql.SqlAnalyzer;
import io.jdbcsync.internal.sql.SqlSyntax;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client session: answers the commands of the command phase on a backend connection from the
 * pool, which it keeps only while it holds session state (see "Session pinning" in
 * docs/ARCHITECTURE.md), or for its whole life when multiplexing is off. Runs on a worker thread,
 * one command at a time.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final Pattern USE = Pattern.compile("(?is)\\s*USE\\s+`?([^`;\\s]+)`?\\s*;?\\s*");
    private static final Pattern SET_NAMES = Pattern.compile("(?is)\\s*SET\\s+(NAMES|CHARACTER\\s+SET|CHARSET)\\s+.*");
    private static final Pattern KILL = Pattern.compile(
            "(?is)\\s*KILL\\s+(?:(?:HARD|SOFT)\\s+)?(CONNECTION\\s+|QUERY\\s+(?:ID\\s+)?)?(\\d+)\\s*;?\\s*");
    private static final Pattern WRITE = Pattern.compile(
            "(?is)\\s*(INSERT|REPLACE|UPDATE|DELETE|TRUNCATE|ALTER|DROP|CREATE|RENAME|LOAD|CALL|WITH)\\b.*");
    private static final String SET_END = "\u0000";
    private static final int STATUS_MASK = ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT
            | ServerStatus.NO_BACKSLASH_ESCAPES | ServerStatus.IN_TRANS_READONLY;

    /** Rows are streamed from the backend in batches of this size: memory stays bounded for any result. */
    private static final int STREAM_ROWS = 512;

    private final Backend backend;
    private final PacketSink out;
    private final long maxPacket;
    private final boolean multiplex;
    private Connection connection;
    private volatile org.mariadb.jdbc.Connection raw;
    private int capabilities;
    private String database;
    private final Map<Integer, ServerStatement> statements = new HashMap<>();
    private int nextStatementId = 1;
    private boolean multiStatements;
    /** Set while a statement of a multi-statement text runs that is not the last one. */
    private boolean moreStatements;
    /** Why the session keeps its backend connection until it ends or resets; null: it need not. */
    private String keptBy;
    /** The status flags shown while the session holds no backend connection. */
    private int idleStatus = ServerStatus.AUTOCOMMIT;
    /**
     * The session's SETs of session variables, in order, each ended by a NUL: replayed on a backend
     * connection that does not carry exactly these, so they need not keep the connection.
     */
    private String sets = "";
    /** Told when the command being handled is answered (before its last write). */
    private Runnable answered;
    /** The backend thread running this session's command, for KILL QUERY; 0 when none. */
    private volatile long runningOn;
    /** The id the handshake showed: CONNECTION_ID() under multiplexing. */
    private long sessionId;
    /**
     * LAST_INSERT_ID() of the session: the last key a statement of it generated (the OK packet's),
     * whichever backend connection ran it.
     */
    private long lastInsertId;
    /**
     * The backend connection's LAST_INSERT_ID() is the session's (set on it before a statement
     * that sets or reads it there: LAST_INSERT_ID(x), CALL, a prepared statement); until the
     * session gives that connection back.
     */
    private boolean lastInsertIdOnBackend;
    /** Result column names to restore in the statement being run (see SessionFunctions), or null. */
    private Map<String, String> columnNames;
    /** The statement running now, for SHOW PROCESSLIST; null between commands. */
    private volatile String running;
    /** When the session's command started or ended, for SHOW PROCESSLIST. */
    private volatile long since = System.nanoTime();

    /** What the session reports, and what it asks of the server. */
    public interface Events {
        void command(int command);

        void error();

        /**
         * KILL of a session by the id its handshake showed: closes it when {@code connection}.
         *
         * @return the backend thread running that session's command (0 when none), or -1 when no
         *         session has that id
         */
        long kill(long sessionId, boolean connection);

        /** The sessions of this proxy, for SHOW PROCESSLIST. */
        List<ProcessList.Entry> processList();
    }

    private final Events events;
    private final Pattern namesSyncedDatabase;

    public Session(Backend backend, PacketSink out, long maxPacket, boolean multiplex, Events events) {
        this.events = events;
        this.backend = backend;
        this.namesSyncedDatabase = Pattern.compile("(?i)(^|[^\\w$])`?" + Pattern.quote(backend.database()) + "`?\\s*\\.");
        this.out = out;
        this.maxPacket = maxPacket;
        this.multiplex = multiplex;
        this.database = backend.database();
    }

    /**
     * Returns the connection id the handshake shows: the session's own id when multiplexing (its
     * backend connection may change), else the id of the backend connection it takes for life.
     */
    public long open(long sessionId) throws SQLException {
        this.sessionId = sessionId;
        if (multiplex) {
            return sessionId;
        }
        acquire();
        return raw.getThreadId();
    }

    /** After authentication: the negotiated capabilities and the database the client asked for. */
    public void start(int capabilities, String initialDatabase) throws SQLException {
        this.capabilities = capabilities;
        this.multiStatements = (capabilities & Capabilities.MULTI_STATEMENTS) != 0;
        if (initialDatabase != null && !initialDatabase.isEmpty() && !initialDatabase.equals(database)) {
            acquire();
            useDatabase(initialDatabase);
        }
        releaseIfFree();
    }

    /** COM_CHANGE_USER after the new account's password checked out: a session as new, in {@code newDatabase}. */
    public void changeUser(String newDatabase) throws SQLException {
        reset();
        if (newDatabase != null && !newDatabase.isEmpty() && !newDatabase.equals(database)) {
            acquire();
            useDatabase(newDatabase);
        }
        releaseIfFree();
    }

    /** The backend thread running this session's command now, 0 when none. */
    public long runningOn() {
        return runningOn;
    }

    /** This session as SHOW PROCESSLIST lists it. */
    public ProcessList.Entry processEntry(long id, String user, String host) {
        String sql = running;
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
        return new ProcessList.Entry(id, user, host, database, sql == null ? "Sleep" : "Query", seconds, sql);
    }

    // ---- the backend connection -----------------------------------------------------------------

    private void acquire() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection c = backend.connection();
        try {
            org.mariadb.jdbc.Connection r = c.unwrap(org.mariadb.jdbc.Connection.class);
            // Pooled connections of clients that open alike (Connector/J's connect-time SET) carry
            // the session's SETs already; one that carries other SETs is replaced by a new one
            // (never reset: see close()), and a new one is given the session's.
            while (!backend.appliedSets(r).isEmpty() && !backend.appliedSets(r).equals(sets)) {
                backend.evict(c);
                c.close();
                c = backend.connection();
                r = c.unwrap(org.mariadb.jdbc.Connection.class);
            }
            if (!backend.appliedSets(r).equals(sets)) {
                try (Statement st = r.createStatement()) {
                    for (String set : sets.split(SET_END)) {
                        if (!set.isEmpty()) {
                            st.execute(set);
                        }
                    }
                }
                backend.appliedSets(r, sets);
            }
            if (!database.equalsIgnoreCase(r.getContext().getDatabase())) {
                c.setCatalog(database);
            }
            connection = c;
            raw = r;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** Gives the backend connection back to the pool when the session holds no state on it. */
    private void releaseIfFree() {
        if (!multiplex || connection == null || keptBy != null || !statements.isEmpty()) {
            return;
        }
        int status = status();
        if ((status & ServerStatus.IN_TRANS) != 0 || (status & ServerStatus.AUTOCOMMIT) == 0 || warnings() > 0) {
            // An open transaction, or warnings SHOW WARNINGS may still ask for.
            return;
        }
        idleStatus = status;
        lastInsertIdOnBackend = false;
        Connection c = connection;
        connection = null;
        raw = null;
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("returning a backend connection: {}", e.getMessage());
        }
    }

    public int status() {
        org.mariadb.jdbc.Connection r = raw;
        if (r == null) {
            return idleStatus;
        }
        try {
            return r.getContext().getServerStatus() & STATUS_MASK;
        } catch (RuntimeException e) {
            return ServerStatus.AUTOCOMMIT;
        }
    }

    public boolean inTransaction() {
        return raw != null && (status() & ServerStatus.IN_TRANS) != 0;
    }

    private int warnings() {
        org.mariadb.jdbc.Connection r = raw;
        return r == null ? 0 : r.getContext().getWarning();
    }

    private boolean deprecateEof() {
        return (capabilities & Capabilities.DEPRECATE_EOF) != 0;
    }

    /**
     * Answers one command packet.
     *
     * @return false when the session is over (COM_QUIT, a lost backend connection, a broken packet)
     */
    public boolean handle(int firstSequence, int lastSequence, ByteBuf payload, Runnable answered) {
        out.reset(lastSequence);
        this.answered = answered;
        int command = -1;
        try {
            if (firstSequence != 0) {
                throw new ProtocolException("a command must start a new sequence, got sequence id " + firstSequence);
            }
            command = payload.readUnsignedByte();
            events.command(command);
            boolean more = dispatch(command, payload);
            flushAnswer();
            releaseIfFree();
            return more;
        } catch (PacketSink.ClientGoneException e) {
            return false;
        } catch (SQLException e) {
            // Our own answers (unknown command: 08S01) keep the session; a broken backend does not.
            boolean lost = e instanceof java.sql.SQLNonTransientConnectionException || backendClosed();
            error(Errors.code(e), e.getSQLState(), Errors.message(e));
            if (lost) {
                LOG.warn("backend connection lost: {}", e.getMessage());
            } else {
                releaseIfFree();
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
        } finally {
            answerDone();
        }
    }

    /**
     * The last write of an answer. The client may send its next command as soon as it sees it, so
     * the handler learns first that this one is answered.
     */
    private void flushAnswer() {
        answerDone();
        out.flush();
    }

    private void answerDone() {
        Runnable done = answered;
        answered = null;
        if (done != null) {
            done.run();
        }
    }

    private boolean backendClosed() {
        try {
            return connection != null && connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private void error(int code, String state, String message) {
        events.error();
        try {
            out.send(new ErrPacket(code, state, message).encode(out.alloc()));
            flushAnswer();
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
                acquire();
                useDatabase(Wire.readRest(payload));
                ok(0, 0);
                return true;
            case Command.QUERY:
                query(queryText(payload));
                return true;
            case Command.FIELD_LIST:
                acquire();
                fieldList(Wire.readNulString(payload));
                return true;
            case Command.STMT_PREPARE:
                acquire();
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
                if (option != 0 && option != 1) {
                    throw new SQLException("Unknown option " + option, "HY000", ErrPacket.ER_UNKNOWN_COM_ERROR);
                }
                // MYSQL_OPTION_MULTI_STATEMENTS_ON (0) or _OFF (1).
                multiStatements = option == 0;
                endOfRows(status());
                return true;
            }
            case Command.RESET_CONNECTION:
                reset();
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
        org.mariadb.jdbc.Connection r = raw;
        String current = r == null ? null : r.getContext().getDatabase();
        if (current != null) {
            database = current;
        }
    }

    // ---- text protocol ------------------------------------------------------------------------

    /**
     * A COM_QUERY text. With multi-statements on, a text of several statements is split where
     * MariaDB splits it (the driver's own tokenizer) and each runs on its own through the driver,
     * so each write is captured as if sent alone; their results follow each other with
     * MORE_RESULTS_EXISTS, and the first error ends the text, as on MariaDB.
     */
    private void query(String sql) throws SQLException {
        if (multiStatements && sql.indexOf(';') >= 0) {
            SqlSyntax syntax = (status() & ServerStatus.NO_BACKSLASH_ESCAPES) == 0
                    ? SqlSyntax.MARIADB : new SqlSyntax(false, true, false);
            List<String> parts = SqlAnalyzer.statementsOf(sql, syntax);
            if (parts.size() > 1) {
                try {
                    for (int i = 0; i < parts.size(); i++) {
                        moreStatements = i < parts.size() - 1;
                        statement(parts.get(i));
                    }
                } finally {
                    moreStatements = false;
                }
                return;
            }
        }
        statement(sql);
    }

    private void statement(String sql) throws SQLException {
        Matcher use = USE.matcher(sql);
        if (use.matches()) {
            acquire();
            useDatabase(use.group(1));
            ok(0, 0);
            return;
        }
        if (SET_NAMES.matcher(sql).matches()) {
            // Clients always get utf8mb4 from the proxy; the backend connection keeps its own.
            ok(0, 0);
            return;
        }
        Matcher kill = KILL.matcher(sql);
        if (multiplex && kill.matches()) {
            kill(Long.parseLong(kill.group(2)), kill.group(1) == null || kill.group(1).trim().equalsIgnoreCase("CONNECTION"));
            return;
        }
        Matcher processList = ProcessList.SHOW.matcher(sql);
        if (multiplex && processList.matches()) {
            processList(processList.group(1) != null);
            return;
        }
        if (multiplex) {
            sql = sessionFunctions(sql, lastInsertIdOnBackend || SessionState.setsLastInsertId(sql));
        }
        boolean replayable = keptBy == null && SessionState.replayableSet(sql);
        if (keptBy == null && !replayable) {
            keptBy = SessionState.keptBy(sql);
            if (keptBy != null) {
                LOG.debug("session keeps its backend connection: {}", keptBy);
            }
        }
        acquire();
        if (multiplex && SessionState.setsLastInsertId(sql)) {
            lastInsertIdToBackend();
        }
        if (replayable) {
            // Recorded before it runs: should it fail halfway, the connection is not taken for a clean one.
            sets = sets + sql + SET_END;
            backend.appliedSets(raw, "?");
        }
        try (Statement st = connectionFor(sql).createStatement()) {
            st.setFetchSize(STREAM_ROWS);
            runningOn = raw.getThreadId();
            running = sql;
            since = System.nanoTime();
            boolean isResult = st.execute(sql, Statement.RETURN_GENERATED_KEYS);
            sendResults(st, isResult, false);
            if (replayable) {
                backend.appliedSets(raw, sets);
            }
        } finally {
            ranStatement();
        }
    }

    private void ranStatement() {
        runningOn = 0;
        running = null;
        since = System.nanoTime();
        columnNames = null;
        refreshDatabase();
    }

    /**
     * CONNECTION_ID() (and LAST_INSERT_ID(), unless the backend connection holds the session's)
     * replaced by the session's values.
     */
    private String sessionFunctions(String sql, boolean lastInsertIdFromBackend) {
        SessionFunctions.Rewritten r = SessionFunctions.rewrite(sql, sessionId, lastInsertIdFromBackend ? -1 : lastInsertId,
                (status() & ServerStatus.NO_BACKSLASH_ESCAPES) == 0);
        columnNames = r.columnNames();
        return r.sql();
    }

    /** Gives the backend connection the session's LAST_INSERT_ID() (it keeps the connection meanwhile). */
    private void lastInsertIdToBackend() throws SQLException {
        if (lastInsertIdOnBackend) {
            return;
        }
        if (lastInsertId != 0) {
            try (Statement st = raw.createStatement()) {
                st.execute("DO LAST_INSERT_ID(" + lastInsertId + ")");
            }
        }
        lastInsertIdOnBackend = true;
    }

    /** SHOW PROCESSLIST: the proxy's sessions by their own ids. */
    private void processList(boolean full) {
        ColumnDefinition[] defs = ProcessList.columns();
        sendColumns(defs, false);
        for (ProcessList.Entry e : events.processList()) {
            ProcessList.row(out.beginPacket(64), e.id() == sessionId ? e.withInfo("SHOW PROCESSLIST") : e, full);
            out.endPacket();
        }
        endOfRows(status() | (moreStatements ? ServerStatus.MORE_RESULTS_EXISTS : 0));
    }

    /**
     * KILL by the id the handshake showed (a session's own id under multiplexing): the statement it
     * runs is killed on its backend connection, and for KILL CONNECTION the session is closed.
     */
    private void kill(long sessionId, boolean wholeConnection) throws SQLException {
        long thread = events.kill(sessionId, wholeConnection);
        if (thread < 0) {
            throw new SQLException("Unknown thread id: " + sessionId, "HY000", 1094);
        }
        if (thread > 0) {
            acquire();
            try (Statement st = connection.unwrap(org.mariadb.jdbc.Connection.class).createStatement()) {
                st.execute("KILL QUERY " + thread);
            }
        }
        ok(0, 0);
    }

    private void sendResults(Statement st, boolean isResult, boolean binary) throws SQLException {
        while (true) {
            boolean hasMore;
            if (isResult) {
                try (ResultSet rs = st.getResultSet()) {
                    ColumnDefinition[] defs = SessionFunctions.restoreNames(ColumnDefinitions.of(rs.getMetaData()), columnNames);
                    sendColumns(defs, false);
                    while (rs.next()) {
                        // Each row is encoded straight into the response buffer.
                        ByteBuf row = out.beginPacket(16 * defs.length);
                        if (binary) {
                            RowEncoder.binary(row, rs, defs);
                        } else {
                            RowEncoder.text(row, rs, defs);
                        }
                        out.endPacket();
                    }
                }
                isResult = st.getMoreResults();
                hasMore = isResult || st.getUpdateCount() != -1;
                endOfRows(status() | (hasMore || moreStatements ? ServerStatus.MORE_RESULTS_EXISTS : 0));
            } else {
                long count = st.getLargeUpdateCount();
                long id = count > 0 ? lastInsertId(st) : 0;
                if (id != 0) {
                    // As on MariaDB, a statement that generates no key leaves LAST_INSERT_ID() as it was.
                    lastInsertId = id;
                }
                isResult = st.getMoreResults();
                hasMore = isResult || st.getUpdateCount() != -1;
                out.send(OkPacket.of(Math.max(count, 0), id,
                        status() | (hasMore || moreStatements ? ServerStatus.MORE_RESULTS_EXISTS : 0), warnings())
                        .encode(out.alloc()));
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
        int more = moreStatements ? ServerStatus.MORE_RESULTS_EXISTS : 0;
        out.send(OkPacket.of(affected, lastInsertId, status() | more, 0).encode(out.alloc()));
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
        Map<String, String> names = null;
        if (multiplex) {
            // The statement keeps the backend connection while it is open: LAST_INSERT_ID() is that
            // connection's, given the session's first.
            sql = sessionFunctions(sql, true);
            names = columnNames;
            columnNames = null;
            if (SessionState.readsLastInsertId(sql)) {
                lastInsertIdToBackend();
            }
        }
        int parameters = Parameters.count(sql);
        PreparedStatement ps = connectionFor(sql).prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
        ps.setFetchSize(STREAM_ROWS);
        ColumnDefinition[] columns;
        try {
            ResultSetMetaData md = ps.getMetaData();
            columns = md == null ? new ColumnDefinition[0] : SessionFunctions.restoreNames(ColumnDefinitions.of(md), names);
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        int id = nextStatementId++;
        ServerStatement prepared = new ServerStatement(id, sql, ps, parameters);
        prepared.columnNames = names;
        statements.put(id, prepared);
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
            runningOn = raw.getThreadId();
            running = st.sql;
            since = System.nanoTime();
            columnNames = st.columnNames;
            boolean isResult = st.statement.execute();
            sendResults(st.statement, isResult, true);
        } finally {
            ranStatement();
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

    /**
     * COM_RESET_CONNECTION (and COM_CHANGE_USER): no transaction, statements, variables or temporary
     * tables left. The session goes on with another backend connection, as a new session would.
     */
    private void reset() throws SQLException {
        String db = database;
        close();
        keptBy = null;
        sets = "";
        lastInsertId = 0;
        lastInsertIdOnBackend = false;
        database = db;
        if (!multiplex) {
            acquire();
        }
    }

    /**
     * Ends the session. A backend connection it holds without session state goes back to the pool
     * as it is; one that carries state (transaction, temporary tables, variables, locks) is taken
     * out of the pool, never reset: a COM_RESET_CONNECTION would also drop the server-side
     * statements the driver keeps prepared on it for the connection's life.
     */
    public void close() {
        int status = status();
        boolean clean = keptBy == null && statements.isEmpty() && (status & ServerStatus.IN_TRANS) == 0
                && (status & ServerStatus.AUTOCOMMIT) != 0;
        closeStatements();
        if (connection == null) {
            return;
        }
        if (!clean) {
            // Closed for good, so the server rolls back and drops the rest.
            backend.evict(connection);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a backend connection: {}", e.getMessage());
        }
        connection = null;
        raw = null;
    }
}
