package io.jdbcsync.sql;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies SQL texts and parses the writes among them, once per distinct text. The cache is
 * bounded: an app that splices literals into its SQL makes us re-parse, never grow without end.
 */
public final class SqlAnalyzer {
    private static final Set<String> READS = Set.of("SELECT", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "VALUES", "HELP",
            "TABLE");
    private static final Set<String> WRITES = Set.of("INSERT", "REPLACE", "UPDATE", "DELETE", "TRUNCATE", "UPSERT",
            "MERGE", "LOAD");
    private static final Set<String> DDL = Set.of("CREATE", "ALTER", "DROP", "RENAME");
    private static final Set<String> TRANSACTION = Set.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
            "START", "END");
    private static final Pattern CONTROL = Pattern.compile(
            "\\s*\\{?\\s*CALL\\s+(sync_[a-z_]+)\\s*(\\(\\s*('[^']*')?\\s*\\))?\\s*}?\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

    /** The procedures the driver answers itself; other CALLs go to the database. */
    public static final Set<String> PROCEDURES = Set.of("sync_status", "sync_now", "sync_devices", "sync_compact",
            "sync_retire", "sync_keys");

    /** The control procedure that answers {@code SELECT NEXT VALUE FOR s} from the device's key blocks. */
    public static final String NEXT_VALUE = "sync_nextval";

    /** The sequence named by a statement {@link #analyze} classified as {@link #NEXT_VALUE}. */
    public static String sequenceOf(String sql) {
        return SequenceUse.pureNextValue(sql);
    }

    private final boolean backslashEscapes;
    private final int capacity;
    // Two generations: lookups hit either; when the young one fills up the old one is dropped.
    private volatile Map<String, Analysis> young = new ConcurrentHashMap<>();
    private volatile Map<String, Analysis> old = new ConcurrentHashMap<>();

    public SqlAnalyzer(boolean backslashEscapes, int capacity) {
        this.backslashEscapes = backslashEscapes;
        this.capacity = Math.max(2, capacity);
    }

    public Analysis analyze(String sql) {
        Analysis a = young.get(sql);
        if (a != null) {
            return a;
        }
        a = old.get(sql);
        if (a == null) {
            a = compute(sql);
        }
        Map<String, Analysis> y = young;
        if (y.size() >= capacity / 2) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        young.put(sql, a);
        return a;
    }

    /** Number of cached texts (for tests and status). */
    public int cachedCount() {
        return young.size() + old.size();
    }

    private Analysis compute(String sql) {
        String keyword = SqlLexer.firstKeyword(sql);
        if (READS.contains(keyword)) {
            if (SequenceUse.takesNextValue(sql, backslashEscapes)) {
                if (SequenceUse.pureNextValue(sql) != null) {
                    return Analysis.control(sql, NEXT_VALUE);
                }
                return Analysis.uncapturable(sql, null, SequenceUse.REASON);
            }
            return Analysis.of(sql, StatementKind.READ);
        }
        if (WRITES.contains(keyword) || keyword.equals("WITH")) {
            if (keyword.equals("WITH") && !writesAfterWith(sql)) {
                return Analysis.of(sql, StatementKind.READ);
            }
            Analysis write = WriteParser.parse(sql, backslashEscapes);
            if (write.problem() == null && write.table() != null && SequenceUse.takesNextValue(sql, backslashEscapes)) {
                // Refused only when the table is synced (an unsynced table may take what it likes).
                return Analysis.uncapturable(sql, write.table(), SequenceUse.REASON);
            }
            return write;
        }
        if (DDL.contains(keyword)) {
            return Analysis.of(sql, StatementKind.DDL);
        }
        if (TRANSACTION.contains(keyword)) {
            return Analysis.of(sql, StatementKind.TRANSACTION);
        }
        if (keyword.equals("CALL") || keyword.isEmpty() && sql.stripLeading().startsWith("{")) {
            Matcher m = CONTROL.matcher(sql);
            if (m.matches() && PROCEDURES.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                return Analysis.control(sql, m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return Analysis.of(sql, StatementKind.OTHER);
    }

    /** True when a WITH ... statement ends in a write rather than a SELECT. */
    private boolean writesAfterWith(String sql) {
        for (Token t : SqlLexer.tokens(sql, backslashEscapes)) {
            if (t.depth() == 0 && t.kind() == Token.Kind.WORD) {
                String w = t.text(sql).toUpperCase(Locale.ROOT);
                if (w.equals("INSERT") || w.equals("UPDATE") || w.equals("DELETE") || w.equals("REPLACE")) {
                    return true;
                }
                if (w.equals("SELECT")) {
                    return false;
                }
            }
        }
        return false;
    }
}
