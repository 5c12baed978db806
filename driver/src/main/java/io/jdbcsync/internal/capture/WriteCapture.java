package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.sql.Analysis;
import io.jdbcsync.internal.sql.FilterShape;
import io.jdbcsync.internal.sql.InsertShape;
import io.jdbcsync.internal.sql.StatementKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The capture of one connection: decides whether a write touches a synced table, runs it with its
 * log rows in one transaction (the app's, or one of ours in autocommit), and reports the keys used.
 */
public final class WriteCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteCapture.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final Connection raw;
    private final Device device;
    private final ChangeLogWriter log;
    private final boolean severalStatements;
    private final boolean passUncapturable;
    private boolean failedInTransaction;
    private long savepoints;

    /** Counts and keys of a captured execution, and the rows of its RETURNING clause (or null). */
    public record Result(long[] counts, List<Object> keys, ReturnedRows returned) {
        public Result(long[] counts, List<Object> keys) {
            this(counts, keys, null);
        }
    }

    /**
     * @param severalStatements the connection takes texts of several statements, so a write by key
     *                          in autocommit can go with its log row in one round trip
     */
    public WriteCapture(Connection raw, Device device, boolean passUncapturable, boolean severalStatements) {
        this.raw = raw;
        this.device = device;
        this.log = new ChangeLogWriter(raw, device.clock(), device.dialect());
        this.passUncapturable = passUncapturable;
        this.severalStatements = severalStatements;
    }

    /**
     * Runs a write. Returns null when the statement touches no synced table (the caller then sends
     * it unchanged); throws {@link UncapturableWriteException} when it touches one in a way that
     * cannot be logged exactly, before anything ran.
     *
     * @param inTransaction true when the app has a transaction open (autocommit off, or BEGIN as SQL)
     */
    public Result execute(Analysis analysis, List<Binding[]> sets, StatementSource source, boolean inTransaction)
            throws SQLException {
        if (analysis.returning() != null) {
            Object plan = returningPlanFor(analysis);
            if (plan == null) {
                return null; // not synced: the database runs the RETURNING itself
            }
            ReturnedRows returned = new ReturnedRows(source, device.dialect(), tableOf(plan), analysis.returning());
            Result r = execute(analysis.withoutReturning(), plan, sets, source, inTransaction, returned);
            return new Result(r.counts(), r.keys(), returned);
        }
        Object plan = planFor(analysis);
        if (plan == null) {
            return null;
        }
        return execute(analysis, plan, sets, source, inTransaction, null);
    }

    /** The plan of the write before a RETURNING clause, null when it passes through; refuses what cannot be read back. */
    private Object returningPlanFor(Analysis analysis) throws SQLException {
        Object plan = planFor(analysis.withoutReturning());
        if (plan == null || !device.dialect().acceptsReturning(raw, analysis.withoutReturning().isUpdate())) {
            return null;
        }
        String why = analysis.problem();
        TableInfo table = tableOf(plan);
        if (why == null && table.primaryKey().size() != 1) {
            why = "RETURNING on a table with a composite primary key is not supported";
        } else if (why == null && plan instanceof InsertPlan ip && ip.conflict != io.jdbcsync.internal.sql.ConflictMode.FAIL) {
            why = "RETURNING with a conflict clause (OR IGNORE, OR REPLACE, ON CONFLICT, ON DUPLICATE KEY) is not supported";
        }
        if (why != null) {
            if (refuse(analysis, why, device.schema(raw)) == null) {
                return null;
            }
        }
        return plan;
    }

    private static TableInfo tableOf(Object plan) {
        if (plan instanceof InsertPlan p) {
            return p.table;
        }
        if (plan instanceof InsertSelectPlan p) {
            return p.table();
        }
        return ((FilterPlan) plan).table;
    }

    private Result execute(Analysis analysis, Object plan, List<Binding[]> sets, StatementSource source,
                           boolean inTransaction, ReturnedRows returned) throws SQLException {
        if (!device.isSetUp()) {
            String cannot = device.withoutMetadata();
            if (cannot == null) {
                try {
                    device.ensureSetUp(raw);
                } catch (SQLException e) {
                    if (!device.dialect().refusesWrites(raw, e)) {
                        throw e;
                    }
                    cannot = e.getMessage();
                }
            }
            if (cannot != null) {
                return probeWithoutLog(analysis, sets, source, inTransaction, cannot);
            }
        }
        if (!inTransaction && severalStatements && returned == null && sets.size() == 1) {
            List<Object> keys = new ArrayList<>();
            Long count = null;
            if (plan instanceof FilterPlan f) {
                count = new FilterCapture(device, device.schema(raw), source, log, raw).inOneTrip(f, sets.get(0), device.clock());
            } else if (plan instanceof InsertPlan p) {
                count = new InsertCapture(device, device.schema(raw), source, log).inOneTrip(p, sets.get(0), keys, raw,
                        device.clock());
            }
            if (count != null) {
                return new Result(new long[] {count}, keys);
            }
        }
        if (!inTransaction) {
            raw.setAutoCommit(false);
            try {
                Result r = run(analysis, plan, sets, source, returned);
                raw.setAutoCommit(true); // commits data and log together
                return r;
            } catch (SQLException | RuntimeException e) {
                log.discard();
                try {
                    raw.rollback();
                    raw.setAutoCommit(true);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        boolean severalSteps = sets.size() > 1 || analysis.insert() != null && analysis.insert().rows() == null
                || plan instanceof InsertPlan ip && ip.conflict != io.jdbcsync.internal.sql.ConflictMode.FAIL;
        String savepoint = severalSteps ? "_sync_step" + (++savepoints) : null;
        if (savepoint != null) {
            sql("SAVEPOINT " + savepoint);
        }
        try {
            Result r = run(analysis, plan, sets, source, returned);
            if (savepoint != null) {
                sql("RELEASE SAVEPOINT " + savepoint);
            }
            return r;
        } catch (SQLException | RuntimeException e) {
            log.discard();
            if (savepoint != null) {
                try {
                    sql("ROLLBACK TO SAVEPOINT " + savepoint);
                    sql("RELEASE SAVEPOINT " + savepoint);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                    failedInTransaction = true;
                }
            } else if (log.ranStatement()) {
                failedInTransaction = true;
            }
            throw e;
        }
    }

    /**
     * A write to a synced table through a connection that has no jdbc-sync tables and cannot create
     * them (read-only): the write runs and is undone at once, so that the app gets the database's
     * own error, or, where the database would have taken the write, a refusal. Nothing is left
     * unlogged.
     */
    private Result probeWithoutLog(Analysis analysis, List<Binding[]> sets, StatementSource source,
                                   boolean inTransaction, String cannot) throws SQLException {
        String savepoint = "_sync_probe";
        if (inTransaction) {
            sql("SAVEPOINT " + savepoint);
        } else {
            raw.setAutoCommit(false);
        }
        try {
            java.sql.PreparedStatement ps = source.prepare(analysis.sql());
            Binding[] set = sets.isEmpty() ? new Binding[0] : sets.get(0);
            for (int i = 0; i < set.length; i++) {
                if (set[i] != null) {
                    set[i].apply(ps, i + 1);
                }
            }
            ps.execute();
        } finally {
            if (inTransaction) {
                sql("ROLLBACK TO SAVEPOINT " + savepoint);
                sql("RELEASE SAVEPOINT " + savepoint);
            } else {
                raw.rollback();
                raw.setAutoCommit(true);
            }
        }
        throw new UncapturableWriteException(analysis.sql(), "this connection cannot set up the jdbc-sync tables ("
                + cannot + "), so its writes to synced tables cannot be logged");
    }

    /**
     * Savepoints go as SQL text: the JDBC calls would make SQLite's driver leave autocommit for
     * good when the app began its transaction with BEGIN sent as text.
     */
    private void sql(String text) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute(text);
        }
    }

    /**
     * Checks at prepare time that a write can run: throws the refusal a write to a synced table
     * that cannot be captured would get at execution, so the app hears it where it wrote the SQL.
     */
    public void check(Analysis analysis) throws SQLException {
        if (analysis.returning() != null) {
            returningPlanFor(analysis);
        } else {
            planFor(analysis);
        }
    }

    /**
     * True when the app's transaction holds a change whose log rows could not be written: the
     * connection refuses to commit it.
     */
    public boolean failedInTransaction() {
        return failedInTransaction;
    }

    public void transactionEnded() {
        failedInTransaction = false;
    }

    /** The plan for this text and schema, null when the statement must pass through unchanged. */
    private Object planFor(Analysis analysis) throws SQLException {
        return planFor(analysis, true);
    }

    private Object planFor(Analysis analysis, boolean retry) throws SQLException {
        Schema schema = device.schema(raw);
        String current = device.dialect().currentDatabase(raw);
        if (current != null && !schema.isLocal(current)) {
            return otherDatabase(analysis, schema, current);
        }
        Object cached = analysis.plan();
        if (cached instanceof InsertPlan p && p.schemaVersion == schema.version()) {
            return p;
        }
        if (cached instanceof FilterPlan p && p.schemaVersion == schema.version()) {
            return p;
        }
        if (cached instanceof InsertSelectPlan p && p.schemaVersion() == schema.version()) {
            return p;
        }
        if (cached instanceof PassThrough p && p.schemaVersion == schema.version()) {
            return null;
        }
        // A table of another database or schema is not this device's, even when its name is.
        boolean foreign = analysis.table() != null && schema.isForeign(analysis.table());
        TableInfo table = analysis.table() == null || foreign ? null : schema.table(analysis.table());
        if (table == null && analysis.table() != null && !foreign) {
            // A table this device has not seen: it may have been created by another process since
            // the schema was read. Look again before letting the write through.
            schema = device.freshSchema(raw);
            table = schema.table(analysis.table());
        }
        if (analysis.problem() != null) {
            if (table != null && !table.synced() || table == null && analysis.table() != null
                    || schema.syncedTableNames().isEmpty() || namesNoSyncedTable(analysis, schema)) {
                analysis.plan(new PassThrough(schema.version()));
                return null;
            }
            return refuse(analysis, analysis.problem(), schema);
        }
        if (table != null && !table.synced() && io.jdbcsync.internal.keys.KeyBlocks.isIdCounter(table)
                && !schema.syncedTableNames().isEmpty()) {
            return refuse(analysis, table.name() + " hands out ids on its own (an ORM's sequence emulation): every"
                    + " device would count on its own and the ids would collide across devices. Let the database"
                    + " generate the keys instead (GenerationType.IDENTITY; jdbc-sync makes them unique), or on"
                    + " MariaDB use a SEQUENCE (answered from key blocks). sync.on-uncapturable=pass lets it through"
                    + " if its ids never become keys of synced tables", schema);
        }
        if (table == null || !table.synced()) {
            if (analysis.isUpdate() && analysis.names() != null && !namesNoSyncedTable(analysis, schema)
                    && setsBeyond(analysis.filter(), table)) {
                return refuse(analysis, "this UPDATE joins a synced table and may change it through " + analysis.table()
                        + ", which is not synced; update the synced table in its own statement", schema);
            }
            if (table != null) {
                analysis.plan(new PassThrough(schema.version()));
            }
            return null;
        }
        try {
            io.jdbcsync.internal.sql.CapturePlan plan;
            if (analysis.insert() != null) {
                InsertShape shape = analysis.insert();
                plan = shape.rows() == null ? new InsertSelectPlan(shape, table, schema.version())
                        : InsertPlan.of(analysis.sql(), shape, table, device.dialect(), analysis.parameterOffsets(), schema.version());
            } else {
                plan = FilterPlan.of(analysis.sql(), analysis.filter(), analysis.isDelete(), table, device.dialect(),
                        schema.version());
            }
            analysis.plan(plan);
            return plan;
        } catch (InsertPlan.Refusal r) {
            // A column this device does not know may have been added by another process.
            if (retry && device.freshSchema(raw).version() != schema.version()) {
                return planFor(analysis, false);
            }
            return refuse(analysis, r.getMessage(), schema);
        }
    }

    /**
     * After {@code USE otherdb}, unqualified names are another database's tables: such writes pass
     * through. One that names this database explicitly is refused: the capture's own statements
     * (log rows, reads) would go to the other database.
     */
    private Object otherDatabase(Analysis analysis, Schema schema, String current) throws SQLException {
        boolean local = analysis.table() != null ? !schema.isForeign(analysis.table())
                && analysis.table().indexOf('.') >= 0 && schema.table(analysis.table()) != null
                : !schema.syncedTableNames().isEmpty() && !namesNoSyncedTable(analysis, schema);
        if (local) {
            throw new UncapturableWriteException(analysis.sql(), "this connection's current database is " + current
                    + " (USE), not the synced database; switch back before writing to it");
        }
        return null;
    }

    /** True for an unreadable write none of whose names is a synced table: it cannot touch one. */
    private static boolean namesNoSyncedTable(Analysis analysis, Schema schema) {
        if (analysis.names() == null) {
            return false;
        }
        for (String name : analysis.names()) {
            TableInfo t = schema.table(name);
            if (t != null && t.synced()) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when a joined UPDATE may assign columns of a table besides its target (MariaDB's
     * multi-table UPDATE can): a qualifier naming something else, or a column the target lacks.
     */
    private static boolean setsBeyond(FilterShape shape, TableInfo target) {
        for (FilterShape.Assignment a : shape.assignments()) {
            String q = a.qualifier() == null ? null : Schema.unquote(a.qualifier());
            boolean ownQualifier = q == null || q.equalsIgnoreCase(Schema.normalize(shape.table()))
                    || shape.alias() != null && q.equalsIgnoreCase(Schema.unquote(shape.alias()));
            if (!ownQualifier || target == null || target.position(a.column()) < 0) {
                return true;
            }
        }
        return false;
    }

    private Object refuse(Analysis analysis, String reason, Schema schema) throws SQLException {
        if (passUncapturable) {
            if (WARNED.add(analysis.sql())) {
                LOG.warn("write passed through WITHOUT sync capture (sync.on-uncapturable=pass): {} [SQL: {}]",
                        reason, UncapturableWriteException.abbreviate(analysis.sql()));
            }
            analysis.plan(new PassThrough(schema.version()));
            return null;
        }
        throw new UncapturableWriteException(analysis.sql(), reason);
    }

    private Result run(Analysis analysis, Object plan, List<Binding[]> sets, StatementSource source,
                       ReturnedRows returned) throws SQLException {
        log.startStatement();
        String lock = device.dialect().writeLockStatement();
        Schema schema = device.schema(raw);
        if (lock != null && (readsFirst(plan, schema, returned, device.dialect(), raw)
                || plan instanceof FilterPlan f && CascadeCapture.possible(schema, f.table))) {
            source.prepare(lock).executeUpdate();
        }
        List<Object> keys = new ArrayList<>();
        long[] counts;
        if (plan instanceof InsertPlan p) {
            counts = new InsertCapture(device, schema, source, log).execute(p, sets, keys);
        } else if (plan instanceof InsertSelectPlan p) {
            counts = new long[sets.size()];
            for (int i = 0; i < sets.size(); i++) {
                counts[i] = insertSelect(p, sets.get(i), source, keys);
            }
        } else {
            counts = new FilterCapture(device, schema, source, log, raw).returning(returned).execute((FilterPlan) plan, analysis.sql(), sets);
        }
        if (returned != null && !(plan instanceof FilterPlan)) {
            returned.read(keys);
        }
        try {
            log.flush();
        } catch (SQLException e) {
            throw new CaptureStepException("cannot append to the jdbc-sync change log: " + e.getMessage(), e);
        }
        return new Result(counts, keys);
    }

    /** True when the capture reads the rows a write touches before the write itself runs. */
    private static boolean readsFirst(Object plan, Schema schema, ReturnedRows returned, Dialect dialect, Connection raw)
            throws SQLException {
        return plan instanceof FilterPlan f && f.keyFromWhere == null
                && !FilterCapture.viaReturning(f, schema, returned, dialect, raw)
                || plan instanceof InsertPlan i && i.conflict != io.jdbcsync.internal.sql.ConflictMode.FAIL
                || plan instanceof InsertSelectPlan;
    }

    /** INSERT ... SELECT: the rows are read first, then inserted as VALUES rows, each logged. */
    private long insertSelect(InsertSelectPlan plan, Binding[] app, StatementSource source, List<Object> keys)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        for (int p : plan.shape.source().parameters()) {
            params.add(app[p - 1] == null ? null : app[p - 1].value());
        }
        List<Object[]> rows = RowReader.read(source, device.dialect(),
                device.dialect().readExactly(plan.shape.source().text(), targetKinds(plan)), params);
        if (rows.isEmpty()) {
            return 0;
        }
        if (plan.shape.head().parameters().length > 0 || plan.shape.tail().parameters().length > 0) {
            throw new UncapturableWriteException(plan.shape.head().text(),
                    "parameters outside the SELECT of an INSERT ... SELECT are not supported");
        }
        int width = rows.get(0).length;
        String values = plan.shape.head().text() + " VALUES (" + "?, ".repeat(width - 1) + "?)"
                + (plan.shape.tail().isEmpty() ? "" : " " + plan.shape.tail().text());
        Analysis analysis = device.analyzer().analyze(values);
        if (analysis.kind() != StatementKind.WRITE || analysis.insert() == null) {
            throw new UncapturableWriteException(values, analysis.problem() == null ? "cannot re-issue the rows" : analysis.problem());
        }
        Object plan2 = planFor(analysis);
        if (!(plan2 instanceof InsertPlan insertPlan)) {
            throw new UncapturableWriteException(values, "cannot re-issue the rows of INSERT ... SELECT");
        }
        List<Binding[]> sets = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Binding[] b = new Binding[row.length];
            for (int i = 0; i < row.length; i++) {
                b[i] = Binding.of(row[i]);
            }
            sets.add(b);
        }
        long total = 0;
        for (long c : new InsertCapture(device, device.schema(raw), source, log).execute(insertPlan, sets, keys)) {
            total += Math.max(0, c);
        }
        return total;
    }

    /** The kinds of the columns an INSERT ... SELECT fills, in the order of its rows. */
    private static List<io.jdbcsync.internal.value.ColumnKind> targetKinds(InsertSelectPlan plan) {
        List<io.jdbcsync.internal.value.ColumnKind> kinds = new ArrayList<>();
        if (plan.shape.columns() == null) {
            plan.table.columns().forEach(c -> kinds.add(c.kind()));
        } else {
            for (String name : plan.shape.columns()) {
                int at = plan.table.position(io.jdbcsync.internal.schema.Schema.unquote(name));
                kinds.add(at < 0 ? io.jdbcsync.internal.value.ColumnKind.OTHER : plan.table.columns().get(at).kind());
            }
        }
        return kinds;
    }

    @Override
    public void close() throws SQLException {
        log.close();
    }

    /** Plan slot marker: this text touches no synced table under this schema version. */
    private record PassThrough(long schemaVersion) implements io.jdbcsync.internal.sql.CapturePlan { }

    /** An INSERT ... SELECT on a synced table. */
    record InsertSelectPlan(InsertShape shape, TableInfo table, long schemaVersion) implements io.jdbcsync.internal.sql.CapturePlan { }

    /** A failure after the app's statement ran: its transaction must not commit. */
    static final class CaptureStepException extends SQLException {
        private static final long serialVersionUID = 1L;

        CaptureStepException(String message, Throwable cause) {
            super(message, "XX000", cause);
        }
    }
}
