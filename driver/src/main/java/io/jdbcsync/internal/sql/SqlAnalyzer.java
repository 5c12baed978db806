package io.jdbcsync.internal.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies SQL texts and parses the writes among them, once per distinct text. The cache is
 * bounded by count and by size: an app that splices literals into its SQL makes us re-parse, never
 * grow without end; a huge text (a bulk INSERT) is analysed for its one use and not kept at all.
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
            "\\s*\\{?\\s*CALL\\s+(sync_[a-z_]+)\\s*(\\(\\s*('(?:[^']|'')*'|\\?)?\\s*\\))?\\s*}?\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

    /** Texts longer than this (characters) are never cached: their analysis is as large as they are. */
    static final int MAX_CACHED_TEXT = 16 * 1024;
    /** What the cache may hold, in characters of SQL text (each text's analysis is a few times that). */
    static final long MAX_CACHED_CHARS = 2L * 1024 * 1024;

    private final SqlSyntax syntax;
    private final int capacity;
    private final java.util.concurrent.atomic.AtomicLong youngChars = new java.util.concurrent.atomic.AtomicLong();
    private volatile long oldChars;
    // Two generations: lookups hit either; when the young one fills up the old one is dropped.
    private volatile Map<String, Analysis> young = new ConcurrentHashMap<>();
    private volatile Map<String, Analysis> old = new ConcurrentHashMap<>();

    public SqlAnalyzer(SqlSyntax syntax, int capacity) {
        this.syntax = syntax;
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
        if (sql.length() > MAX_CACHED_TEXT) {
            return a;
        }
        Map<String, Analysis> y = young;
        if (y.size() >= capacity / 2 || youngChars.get() >= MAX_CACHED_CHARS / 2) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    oldChars = youngChars.getAndSet(0);
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        if (young.put(sql, a) == null) {
            youngChars.addAndGet(sql.length());
        }
        return a;
    }

    /** Number of cached texts (for tests and status). */
    public int cachedCount() {
        return young.size() + old.size();
    }

    /** Characters of SQL text the cache holds, about (for tests and status). */
    public long cachedChars() {
        return youngChars.get() + oldChars;
    }

    /**
     * The statements of a text, split where the database splits them (semicolons outside quotes,
     * comments and routine bodies); empty statements are left out. For servers that run each
     * statement of a multi-statement text on its own, so each can be captured.
     */
    public static List<String> statementsOf(String sql, SqlSyntax syntax) {
        List<int[]> ranges = SqlLexer.statements(sql, syntax);
        List<String> out = new java.util.ArrayList<>(ranges.size());
        for (int[] range : ranges) {
            out.add(sql.substring(range[0], range[1]));
        }
        return out;
    }

    /** True when a text holds no statement at all: only white space and comments. */
    public static boolean isEmptyText(String sql) {
        return SqlLexer.firstKeyword(sql).isEmpty() && SqlLexer.tokens(sql, SqlSyntax.SQLITE).isEmpty();
    }

    private Analysis compute(String sql) {
        List<int[]> statements = SqlLexer.statements(sql, syntax);
        if (statements.size() > 1) {
            return several(sql, statements, syntax);
        }
        if (syntax.backslashEscapes() && sql.indexOf('\\') >= 0) {
            // Under NO_BACKSLASH_ESCAPES or ANSI_QUOTES a backslash ends no quote: if the text splits
            // into several statements read that way, it is judged as such.
            SqlSyntax literal = new SqlSyntax(false, syntax.mysqlComments(), syntax.bracketNames());
            List<int[]> alternative = SqlLexer.statements(sql, literal);
            if (alternative.size() > 1) {
                return several(sql, alternative, literal);
            }
        }
        return single(sql);
    }

    private Analysis single(String sql) {
        StatementKind kind = kindOf(sql, syntax);
        if (kind == StatementKind.READ) {
            if (SequenceUse.takesNextValue(sql, syntax)) {
                if (SequenceUse.pureNextValue(sql) != null) {
                    return Analysis.control(sql, new ControlCall(ControlProcedure.NEXT_VALUE, SequenceUse.pureNextValue(sql)), -1);
                }
                return Analysis.uncapturable(sql, null, SequenceUse.REASON, parameterOffsets(sql, syntax));
            }
            return Analysis.of(sql, kind);
        }
        if (kind == StatementKind.WRITE) {
            Analysis write = WriteParser.parse(sql, syntax);
            if (write.problem() == null && write.table() != null && SequenceUse.takesNextValue(sql, syntax)) {
                // Refused only when the table is synced (an unsynced table may take what it likes).
                return Analysis.uncapturable(sql, write.table(), SequenceUse.REASON, write.parameterOffsets());
            }
            return write;
        }
        if (kind == StatementKind.CONTROL) {
            Matcher m = CONTROL.matcher(sql);
            ControlProcedure procedure = m.matches() ? ControlProcedure.called(m.group(1)) : null;
            if (procedure != null) {
                String argument = m.group(3);
                if ("?".equals(argument)) {
                    return Analysis.control(sql, new ControlCall(procedure, null), m.start(3));
                }
                // a string literal, '' read as one quote
                String literal = argument == null ? null : argument.substring(1, argument.length() - 1).replace("''", "'");
                return Analysis.control(sql, new ControlCall(procedure, literal), -1);
            }
            return Analysis.of(sql, StatementKind.OTHER);
        }
        return Analysis.of(sql, kind);
    }

    /**
     * A text of several statements (sqlite-jdbc runs them all; so does MariaDB with
     * allowMultiQueries). A write among them cannot be captured in its place: the text is judged
     * as a write that cannot be read, refused when it names a synced table.
     */
    private static Analysis several(String sql, List<int[]> statements, SqlSyntax syntax) {
        boolean ddl = false;
        boolean reads = true;
        for (int[] range : statements) {
            StatementKind kind = kindOf(sql.substring(range[0], range[1]), syntax);
            if (kind == StatementKind.WRITE) {
                // Its parameters still count: when it touches no synced table it runs as it is.
                int[] parameters = parameterOffsets(sql, syntax);
                return new Analysis(sql, StatementKind.WRITE, null, null, null, false,
                        "a text of several statements that writes cannot be captured; send each statement on its own",
                        null, parameters, WriteParser.names(sql, syntax)).markSeveral();
            }
            ddl |= kind == StatementKind.DDL;
            reads &= kind == StatementKind.READ;
        }
        return Analysis.of(sql, ddl ? StatementKind.DDL : reads ? StatementKind.READ : StatementKind.OTHER).markSeveral();
    }

    private static int[] parameterOffsets(String sql, SqlSyntax syntax) {
        return SqlLexer.tokens(sql, syntax).stream().filter(t -> t.kind() == Token.Kind.PARAMETER)
                .mapToInt(Token::start).toArray();
    }

    /** The kind of one statement from its first keyword; CONTROL for any CALL or escape. */
    private static StatementKind kindOf(String sql, SqlSyntax syntax) {
        String keyword = SqlLexer.firstKeyword(sql, syntax);
        if (READS.contains(keyword)) {
            return StatementKind.READ;
        }
        if (WRITES.contains(keyword)) {
            return StatementKind.WRITE;
        }
        if (keyword.equals("WITH")) {
            return writesAfterWith(sql, syntax) ? StatementKind.WRITE : StatementKind.READ;
        }
        if (DDL.contains(keyword)) {
            return StatementKind.DDL;
        }
        if (keyword.equals("BEGIN") && compoundBlock(sql, syntax)) {
            return StatementKind.WRITE; // BEGIN NOT ATOMIC ... END runs statements we cannot see one by one
        }
        if (TRANSACTION.contains(keyword)) {
            return StatementKind.TRANSACTION;
        }
        if (keyword.equals("CALL") || keyword.isEmpty() && sql.stripLeading().startsWith("{")) {
            return StatementKind.CONTROL;
        }
        return StatementKind.OTHER;
    }

    /** MariaDB's anonymous block {@code BEGIN NOT ATOMIC ... END}. */
    private static boolean compoundBlock(String sql, SqlSyntax syntax) {
        List<Token> tokens = SqlLexer.tokens(sql, syntax);
        return tokens.size() > 2 && tokens.get(1).isWord(sql, "NOT") && tokens.get(2).isWord(sql, "ATOMIC");
    }

    /** True when a WITH ... statement ends in a write rather than a SELECT. */
    private static boolean writesAfterWith(String sql, SqlSyntax syntax) {
        for (Token t : SqlLexer.tokens(sql, syntax)) {
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
