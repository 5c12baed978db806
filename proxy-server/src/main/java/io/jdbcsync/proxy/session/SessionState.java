package io.jdbcsync.proxy.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which statements leave state on the backend connection that later statements of the same
 * session may see, so that the session must keep that connection (see "Session pinning" in
 * docs/ARCHITECTURE.md). Read from the statement's text, erring on the side of keeping: a word in a
 * string literal keeps the connection too, which costs multiplexing, never correctness.
 * Transactions, prepared statements and warnings are read from the session itself, not from here.
 */
final class SessionState {
    private static final Pattern KEEPS = Pattern.compile(
            "(?i)^\\s*(SET|LOCK|PREPARE|EXECUTE|DEALLOCATE|HANDLER|XA|FLUSH|BACKUP|CALL\\s+(?!sync_))\\b"
                    + "|\\b(TEMPORARY|GET_LOCK|PROCESSLIST|SQL_CALC_FOUND_ROWS)\\b|\\b(LAST_INSERT_ID)\\s*\\(\\s*[^\\s)]"
                    + "|(?<!@)@(?!@)");
    /** Autocommit shows in every status: the session keeps its connection only while it is off. */
    private static final Pattern AUTOCOMMIT = Pattern.compile(
            "(?i)\\s*SET\\s+(@@(SESSION\\.)?|SESSION\\s+)?autocommit\\s*=\\s*\\w+\\s*;?\\s*");

    /**
     * A SET of session variables only: no user variable, nothing that lasts for one transaction or
     * statement, nothing global. Replaying the session's SETs in order on another backend connection
     * (reset first) gives that connection the same session variables.
     */
    private static final Pattern REPLAYABLE_SET = Pattern.compile(
            "(?is)\\s*SET\\s+(?!(GLOBAL|TRANSACTION|STATEMENT|PASSWORD|ROLE|DEFAULT|NAMES|CHARACTER|CHARSET)\\b)[^;]*");
    private static final Pattern SETS_LAST_INSERT_ID = Pattern.compile(
            "(?i)\\bLAST_INSERT_ID\\s*\\(\\s*[^\\s)]|^\\s*CALL\\s+(?!sync_)");
    private static final Pattern READS_LAST_INSERT_ID = Pattern.compile("(?i)\\bLAST_INSERT_ID\\s*\\(");
    private static final Pattern USER_VARIABLE = Pattern.compile("(?<!@)@(?!@)");
    private static final Pattern GLOBAL = Pattern.compile("(?i)@@global\\.|\\bGLOBAL\\b");

    private SessionState() {
    }

    /** Whether this statement sets session variables that can be replayed on another connection. */
    static boolean replayableSet(String sql) {
        return REPLAYABLE_SET.matcher(sql).matches() && !USER_VARIABLE.matcher(sql).find()
                && !GLOBAL.matcher(sql).find();
    }

    /** Why this statement makes its session keep its backend connection, or null if it does not. */
    static String keptBy(String sql) {
        Matcher m = KEEPS.matcher(sql);
        if (!m.find() || AUTOCOMMIT.matcher(sql).matches()) {
            return null;
        }
        if (USER_VARIABLE.matcher(sql).find()) {
            return "user variables (@)";
        }
        if (m.group(1) != null) {
            String word = m.group(1).toUpperCase(java.util.Locale.ROOT).split("\\s")[0];
            switch (word) {
                case "SET": return "session variables (SET)";
                case "LOCK": case "FLUSH": case "BACKUP": return "locks (" + word + ")";
                case "PREPARE": case "EXECUTE": case "DEALLOCATE": return "prepared statements (" + word + ")";
                case "CALL": return "a stored procedure (CALL), which may leave any of it";
                default: return word;
            }
        }
        if (m.group(2) != null) {
            String word = m.group(2).toUpperCase(java.util.Locale.ROOT);
            switch (word) {
                case "TEMPORARY": return "temporary tables";
                case "GET_LOCK": return "locks (GET_LOCK)";
                case "PROCESSLIST": return "backend connection ids (information_schema.PROCESSLIST)";
                default: return word;
            }
        }
        if (m.group(3) != null) {
            return "LAST_INSERT_ID(x)";
        }
        return "user variables (@)";
    }

    /**
     * Whether the statement may set LAST_INSERT_ID() on the backend connection other than by a
     * generated key the proxy sees: LAST_INSERT_ID(x), or a procedure. Both keep the connection.
     */
    static boolean setsLastInsertId(String sql) {
        return SETS_LAST_INSERT_ID.matcher(sql).find();
    }

    /** Whether the statement reads LAST_INSERT_ID() (or sets it). */
    static boolean readsLastInsertId(String sql) {
        return READS_LAST_INSERT_ID.matcher(sql).find();
    }
}
