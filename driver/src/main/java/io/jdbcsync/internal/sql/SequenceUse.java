package io.jdbcsync.internal.sql;

import java.util.List;
import java.util.Locale;

/**
 * Finds statements that take a value from a database sequence ({@code NEXT VALUE FOR s},
 * {@code NEXTVAL(s)}): each device's own sequence would hand out the same values as the others',
 * so such values are refused instead of becoming colliding keys.
 */
final class SequenceUse {
    static final String REASON = "it takes a value from a database sequence (NEXT VALUE FOR / NEXTVAL), which every"
            + " device's database hands out on its own, so values would collide across devices. Let the database"
            + " generate the key instead (AUTO_INCREMENT / INTEGER PRIMARY KEY; with JPA, GenerationType.IDENTITY):"
            + " jdbc-sync makes those keys unique. sync.on-uncapturable=pass lets sequence values through for"
            + " sequences whose values never become keys of synced tables";

    /** {@code SELECT NEXT VALUE FOR s} or {@code SELECT NEXTVAL(s)} alone: what ORMs send to take one value. */
    private static final java.util.regex.Pattern PURE = java.util.regex.Pattern.compile(
            "\\s*SELECT\\s+(?:NEXT\\s+VALUE\\s+FOR\\s+(" + "[`\"]?[\\w$.`\"]+" + ")|NEXTVAL\\s*\\(\\s*("
                    + "[`\"]?[\\w$.`\"]+" + ")\\s*\\))(?:\\s+(?:AS\\s+)?\\w+)?(?:\\s+FROM\\s+DUAL)?\\s*;?\\s*",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private SequenceUse() {
    }

    /** The sequence a statement takes exactly one value from, or null when it does anything else. */
    static String pureNextValue(String sql) {
        java.util.regex.Matcher m = PURE.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    static boolean takesNextValue(String sql, SqlSyntax syntax) {
        if (!sql.toUpperCase(Locale.ROOT).contains("NEXT")) {
            return false;
        }
        List<Token> tokens = SqlLexer.tokens(sql, syntax);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord(sql, "NEXTVAL") && i + 1 < tokens.size() && tokens.get(i + 1).kind() == Token.Kind.OPEN) {
                return true;
            }
            if (t.isWord(sql, "NEXT") && i + 2 < tokens.size() && tokens.get(i + 1).isWord(sql, "VALUE")
                    && tokens.get(i + 2).isWord(sql, "FOR")) {
                return true;
            }
        }
        return false;
    }
}
