package io.jdbcsync.internal.sql;

import java.util.Set;

/**
 * What the driver knows about one SQL text, computed once and cached: how to treat it and, for
 * writes, its shape. Immutable except for the capture plan slot, which the capture layer fills
 * lazily for the current schema.
 */
public final class Analysis {
    private final String sql;
    private final StatementKind kind;
    private final String table;
    private final InsertShape insert;
    private final FilterShape filter;
    private final boolean delete;
    private final String problem;
    private final ControlCall control;
    private final int parameterCount;
    private final int[] parameterOffsets;
    private final Set<String> names;
    private final String returning;
    private final Analysis withoutReturning;
    private volatile CapturePlan plan;
    /** True for a text of several statements (set once, before the analysis is shared). */
    private boolean several;

    Analysis(String sql, StatementKind kind, String table, InsertShape insert, FilterShape filter, boolean delete,
             String problem, ControlCall control, int[] parameterOffsets) {
        this(sql, kind, table, insert, filter, delete, problem, control, parameterOffsets, null);
    }

    Analysis(String sql, StatementKind kind, String table, InsertShape insert, FilterShape filter, boolean delete,
             String problem, ControlCall control, int[] parameterOffsets, Set<String> names) {
        this(sql, kind, table, insert, filter, delete, problem, control, parameterOffsets, names, null, null);
    }

    private Analysis(String sql, StatementKind kind, String table, InsertShape insert, FilterShape filter, boolean delete,
                     String problem, ControlCall control, int[] parameterOffsets, Set<String> names, String returning,
                     Analysis withoutReturning) {
        this.returning = returning;
        this.withoutReturning = withoutReturning;
        this.sql = sql;
        this.kind = kind;
        this.table = table;
        this.insert = insert;
        this.filter = filter;
        this.delete = delete;
        this.problem = problem;
        this.control = control;
        this.parameterOffsets = parameterOffsets;
        this.parameterCount = parameterOffsets == null ? 0 : parameterOffsets.length;
        this.names = names;
    }

    static Analysis of(String sql, StatementKind kind) {
        return new Analysis(sql, kind, null, null, null, false, null, null, null);
    }

    /**
     * A control statement; {@code call} holds the argument the text gives (a literal), {@code
     * parameterAt} is where its {@code ?} argument is, or -1.
     */
    static Analysis control(String sql, ControlCall call, int parameterAt) {
        return new Analysis(sql, StatementKind.CONTROL, null, null, null, false, null, call,
                parameterAt < 0 ? null : new int[] {parameterAt});
    }

    /**
     * A write the driver cannot capture; {@code table} may be null when even that is unknown. Its
     * parameters are still counted, so that it can be bound and pass through when it is not synced.
     */
    static Analysis uncapturable(String sql, String table, String problem, int[] parameterOffsets) {
        return new Analysis(sql, StatementKind.WRITE, table, null, null, false, problem, null, parameterOffsets);
    }

    /**
     * A write that could not be read far enough to know its target; {@code names} are the names it
     * mentions, so that one naming no synced table can still pass.
     */
    static Analysis unreadable(String sql, String problem, Set<String> names, int[] parameterOffsets) {
        return new Analysis(sql, StatementKind.WRITE, null, null, null, false, problem, null, parameterOffsets,
                Set.copyOf(names));
    }

    /**
     * A write ending in {@code RETURNING list}: the same write without the clause (its parameters
     * are at the same offsets) carries the shape.
     */
    static Analysis returning(String sql, Analysis inner, String list, String problem, int[] parameterOffsets) {
        return new Analysis(sql, StatementKind.WRITE, inner.table, null, null, inner.delete, problem, null,
                parameterOffsets, inner.names, list, inner);
    }

    Analysis markSeveral() {
        several = true;
        return this;
    }

    /** True when the text holds several statements. */
    public boolean several() {
        return several;
    }

    /** The list of a {@code RETURNING} clause as written, or null. */
    public String returning() {
        return returning;
    }

    /** For a write with {@code RETURNING}: the write without the clause. */
    public Analysis withoutReturning() {
        return withoutReturning;
    }

    public String sql() {
        return sql;
    }

    public StatementKind kind() {
        return kind;
    }

    /** Target table of a write as written (maybe quoted or qualified), or null. */
    public String table() {
        return table;
    }

    public InsertShape insert() {
        return insert;
    }

    /** The shape of an UPDATE or DELETE. */
    public FilterShape filter() {
        return filter;
    }

    public boolean isDelete() {
        return delete;
    }

    public boolean isUpdate() {
        return filter != null && !delete;
    }

    /** Why this write cannot be captured, or null. */
    public String problem() {
        return problem;
    }

    /** The procedure of a control statement ({@code CALL sync_...()}), else null. */
    public ControlProcedure control() {
        return control == null ? null : control.procedure();
    }

    /** The call a control statement makes; {@code bound} is the value bound to its {@code ?}, if it has one. */
    public ControlCall controlCall(String bound) {
        return parameterCount > 0 ? new ControlCall(control.procedure(), bound) : control;
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Offsets of the app's {@code ?} markers in the text. */
    public int[] parameterOffsets() {
        return parameterOffsets;
    }

    /**
     * Every name (lower case, unquoted) in the text of a write whose target is unknown or that joins
     * other tables (whose SET may reach them), else null.
     */
    public Set<String> names() {
        return names;
    }

    /** The capture layer's cached plan for this text, or null. */
    public CapturePlan plan() {
        return plan;
    }

    public void plan(CapturePlan plan) {
        this.plan = plan;
    }
}
