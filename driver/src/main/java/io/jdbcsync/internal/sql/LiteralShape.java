package io.jdbcsync.internal.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A write sent as text with its values as literals, split into its shape (the text with those
 * literals replaced by {@code ?}) and the values. Apps that do not prepare send a new text for
 * every row; their shapes repeat, so each is parsed once and the write runs as a prepared one.
 * <p>
 * Conservative by design: a literal is hoisted only where a bound value means exactly what the
 * literal meant, that is a plain number or string standing alone as a value (after {@code ( , =
 * <> != < > <= >=} or BETWEEN, and before {@code ) ,} AND, OR, WHERE, ON or the end). Typed
 * literals ({@code DATE '..'}, {@code N'..'}, {@code _utf8'..'}), NULL, DEFAULT, hex and bit
 * numbers, exponents, and texts with a backslash or with clauses where {@code ?} may not stand (LIMIT, a type in CAST
 * or CONVERT) or that read rows (SELECT, RETURNING, ORDER BY, GROUP BY) are left as they are.
 */
public final class LiteralShape {
    /** More literals than this and the text is left alone (SQLite's smallest limit on parameters). */
    static final int MAX_LITERALS = 999;
    /** A REAL literal with more significant digits might round otherwise than {@link Double#parseDouble}. */
    private static final int MAX_REAL_DIGITS = 15;
    /** MariaDB's largest DECIMAL precision: longer literals are DOUBLE there. */
    private static final int MAX_DECIMAL_DIGITS = 65;

    private static final Set<String> WRITES = Set.of("INSERT", "REPLACE", "UPDATE", "DELETE");
    /** Words that make the whole text unsafe to rewrite. */
    private static final Set<String> REFUSED = Set.of("SELECT", "RETURNING", "ORDER", "GROUP", "LIMIT", "OFFSET",
            "FETCH", "CAST", "CONVERT", "AS", "WITH", "HAVING", "OVER", "WINDOW", "UNION", "INTERVAL");
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=");
    private static final Set<String> FOLLOWERS = Set.of("AND", "OR", "WHERE", "ON");

    private final String sql;
    private final List<Object> values;

    private LiteralShape(String sql, List<Object> values) {
        this.sql = sql;
        this.values = values;
    }

    /** The text with the hoisted literals replaced by {@code ?}. */
    public String sql() {
        return sql;
    }

    /** The hoisted values in text order: Long, BigDecimal or Double, String, byte[]. */
    public List<Object> values() {
        return values;
    }

    /**
     * The shape of an INSERT, REPLACE, UPDATE or DELETE text, or null when it has no literal to
     * hoist or is not one this class rewrites safely.
     */
    public static LiteralShape of(String text, SqlSyntax syntax, LiteralTyping typing) {
        if (!WRITES.contains(SqlLexer.firstKeyword(text, syntax))) {
            return null; // reads and the rest: one token read, no more
        }
        if (text.indexOf('\\') >= 0) {
            // MariaDB: whether it escapes depends on the session's sql_mode. SQLite: it never does,
            // but the parser reads \' as an escaped quote and refuses the text as sent; left as it is.
            return null;
        }
        if (SqlLexer.hasExecutableComment(text, syntax)) {
            return null;
        }
        List<Token> tokens = SqlLexer.tokens(text, syntax);
        if (tokens.isEmpty() || !isOneOf(text, tokens.get(0), WRITES) || !plain(text, tokens)) {
            return null;
        }
        StringBuilder shape = null;
        List<Object> values = new ArrayList<>();
        int copied = 0;
        for (int k = 0; k < tokens.size(); k++) {
            Literal l = literalAt(text, tokens, k, typing);
            if (l == null) {
                continue;
            }
            if (!valueBefore(text, tokens, k - 1) || !valueAfter(text, tokens, l.next)) {
                k = l.next - 1;
                continue;
            }
            if (shape == null) {
                shape = new StringBuilder(text.length());
            }
            shape.append(text, copied, tokens.get(k).start()).append('?');
            copied = tokens.get(l.next - 1).end();
            values.add(l.value);
            if (values.size() > MAX_LITERALS) {
                return null;
            }
            k = l.next - 1;
        }
        if (shape == null) {
            return null;
        }
        shape.append(text, copied, text.length());
        return new LiteralShape(shape.toString(), Collections.unmodifiableList(values));
    }

    /** False when a token makes the text unsafe to rewrite: a {@code ?}, a second statement, an open quote, a refused word. */
    private static boolean plain(String text, List<Token> tokens) {
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            switch (t.kind()) {
                case PARAMETER:
                    return false;
                case SEMICOLON:
                    if (k != tokens.size() - 1) {
                        return false;
                    }
                    break;
                case STRING:
                case QUOTED_NAME:
                    if (!closed(t.text(text))) {
                        return false;
                    }
                    break;
                case WORD:
                    if (isOneOf(text, t, REFUSED)) {
                        return false;
                    }
                    break;
                default:
                    break;
            }
        }
        return true;
    }

    /** True when a quoted token ends with its closing quote (a doubled quote closes nothing). */
    private static boolean closed(String quoted) {
        char open = quoted.charAt(0);
        char close = open == '[' ? ']' : open;
        if (quoted.length() < 2 || quoted.charAt(quoted.length() - 1) != close) {
            return false;
        }
        String body = quoted.substring(1, quoted.length() - 1);
        return open == '[' || body.replace(String.valueOf(close) + close, "").indexOf(close) < 0;
    }

    /** A literal starting at token {@code k} and the index of the token after it, or null. */
    private record Literal(Object value, int next) {
    }

    private static Literal literalAt(String text, List<Token> tokens, int k, LiteralTyping typing) {
        Token t = tokens.get(k);
        if (t.kind() == Token.Kind.NUMBER) {
            Object v = number(t.text(text), typing);
            return v == null ? null : new Literal(v, k + 1);
        }
        if (t.kind() == Token.Kind.STRING) {
            String s = WriteText.stringLiteral(t.text(text), false);
            return s == null ? null : new Literal(s, k + 1);
        }
        if (t.kind() == Token.Kind.OPERATOR && text.charAt(t.start()) == '-' && k + 1 < tokens.size()
                && tokens.get(k + 1).kind() == Token.Kind.NUMBER) {
            Object v = number(tokens.get(k + 1).text(text), typing);
            return v == null ? null : new Literal(negate(v), k + 2);
        }
        if (typing.hexIsBlob() && t.isWord(text, "X") && k + 1 < tokens.size()
                && tokens.get(k + 1).kind() == Token.Kind.STRING && joined(t, tokens.get(k + 1))) {
            byte[] b = hex(tokens.get(k + 1).text(text));
            return b == null ? null : new Literal(b, k + 2);
        }
        return null;
    }

    /** True when {@code b} follows {@code a} with nothing between them. */
    private static boolean joined(Token a, Token b) {
        return a.end() == b.start();
    }

    /** An integer that fits a long, or a plain decimal ({@code 12.50}); null for anything else. */
    static Object number(String text, LiteralTyping typing) {
        int point = text.indexOf('.');
        if (point < 0) {
            return WriteText.integerLiteral(text);
        }
        if (point == 0 || point == text.length() - 1 || text.indexOf('.', point + 1) >= 0) {
            return null;
        }
        int significant = 0;
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                continue;
            }
            if (c < '0' || c > '9') {
                return null;
            }
            leading &= c == '0';
            if (!leading) {
                significant++;
            }
        }
        if (typing.decimalIsReal()) {
            String fraction = text.substring(point + 1);
            int trailingZeros = fraction.length() - fraction.replaceAll("0+$", "").length();
            return significant - trailingZeros > MAX_REAL_DIGITS ? null : Double.parseDouble(text);
        }
        return text.length() - 1 > MAX_DECIMAL_DIGITS ? null : new BigDecimal(text);
    }

    private static Object negate(Object number) {
        if (number instanceof Long l) {
            return -l;
        }
        if (number instanceof Double d) {
            return -d;
        }
        return ((BigDecimal) number).negate();
    }

    /** The bytes of {@code 'hex digits'} (an even count), or null. */
    private static byte[] hex(String quoted) {
        String digits = quoted.substring(1, quoted.length() - 1);
        if (digits.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(digits.charAt(2 * i), 16);
            int lo = Character.digit(digits.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** True when token {@code p} (just before a literal) puts the literal in a value position. */
    private static boolean valueBefore(String text, List<Token> tokens, int p) {
        if (p < 0) {
            return false;
        }
        Token t = tokens.get(p);
        switch (t.kind()) {
            case OPEN:
            case COMMA:
                return true;
            case OPERATOR: {
                int first = p;
                while (first > 0 && tokens.get(first - 1).kind() == Token.Kind.OPERATOR && joined(tokens.get(first - 1), tokens.get(first))) {
                    first--;
                }
                return COMPARISONS.contains(text.substring(tokens.get(first).start(), t.end()));
            }
            case WORD:
                if (t.isWord(text, "BETWEEN")) {
                    return true;
                }
                // the upper bound of BETWEEN <literal> AND <literal>
                return t.isWord(text, "AND") && p >= 2 && isLiteralToken(tokens.get(p - 1))
                        && tokens.get(p - 2).isWord(text, "BETWEEN");
            default:
                return false;
        }
    }

    private static boolean isLiteralToken(Token t) {
        return t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.STRING;
    }

    /** True when token {@code q} (just after a literal) ends the value: the literal is not part of a larger expression. */
    private static boolean valueAfter(String text, List<Token> tokens, int q) {
        if (q >= tokens.size()) {
            return true;
        }
        Token t = tokens.get(q);
        return t.kind() == Token.Kind.CLOSE || t.kind() == Token.Kind.COMMA || t.kind() == Token.Kind.SEMICOLON
                || t.kind() == Token.Kind.WORD && isOneOf(text, t, FOLLOWERS);
    }

    private static boolean isOneOf(String text, Token t, Set<String> words) {
        return t.kind() == Token.Kind.WORD && words.contains(text.substring(t.start(), t.end()).toUpperCase(java.util.Locale.ROOT));
    }
}
