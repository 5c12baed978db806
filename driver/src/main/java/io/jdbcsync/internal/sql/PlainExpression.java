package io.jdbcsync.internal.sql;

import io.jdbcsync.internal.schema.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A SET expression built only from numbers, parameters, columns, arithmetic, comparisons and
 * functions that read nothing but their arguments: the database evaluates it in a read exactly as
 * in the write, given the same row. Strings, user variables, subqueries and any other function
 * are not plain (their value may depend on the moment, the session or the conversion).
 */
public final class PlainExpression {

    /** A column the expression reads: its qualifier (null when none) and name, unquoted. */
    public record Column(String qualifier, String name) {
    }

    private static final Set<String> KEYWORDS = Set.of("NULL", "AND", "OR", "NOT", "XOR", "CASE", "WHEN", "THEN",
            "ELSE", "END", "IS", "DIV", "MOD", "TRUE", "FALSE", "BETWEEN", "IN");
    /** Words that, unquoted, are never a column: niladic functions and statement words. */
    private static final Set<String> NOT_COLUMNS = Set.of("CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
            "CURRENT_USER", "CURRENT_ROLE", "LOCALTIME", "LOCALTIMESTAMP", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP",
            "SYSDATE", "USER", "DEFAULT", "VALUES", "VALUE", "SELECT", "ROWNUM", "NEXT", "PREVIOUS");
    /** Decimal numbers only: a hex or binary literal is a byte string. */
    private static final Pattern NUMBER = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final String OPERATORS = "+-*/%=<>!";
    /** Operators whose value is a number or NULL, whatever their operands. */
    private static final Set<String> NUMERIC_OPERATORS = Set.of("+", "-", "*", "/", "%", "=", "==", "<", ">", "<=",
            ">=", "!=", "<>");

    private PlainExpression() {
    }

    /**
     * The columns {@code text} reads, in text order, or null when it is not plain.
     *
     * @param functions upper-case names of the functions allowed (the dialect's deterministic ones)
     */
    public static List<Column> columns(String text, SqlSyntax syntax, Set<String> functions) {
        List<Token> tokens = SqlLexer.tokens(text, syntax);
        if (tokens.isEmpty() || SqlLexer.hasExecutableComment(text, syntax)) {
            return null;
        }
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String s = t.text(text);
            switch (t.kind()) {
                case PARAMETER, OPEN, CLOSE, COMMA -> { }
                case NUMBER -> {
                    if (!NUMBER.matcher(s).matches()) {
                        return null;
                    }
                }
                case OPERATOR -> {
                    if (OPERATORS.indexOf(s.charAt(0)) < 0) {
                        return null;
                    }
                }
                case WORD, QUOTED_NAME -> {
                    if (s.startsWith("\"") || s.startsWith("@")) {
                        return null; // a string (without ANSI_QUOTES) or a variable
                    }
                    String upper = s.toUpperCase(Locale.ROOT);
                    boolean call = i + 1 < tokens.size() && tokens.get(i + 1).kind() == Token.Kind.OPEN;
                    if (call) {
                        if (t.kind() != Token.Kind.WORD || !functions.contains(upper)) { // `f`(x): a stored function
                            return null;
                        }
                    } else if (t.kind() == Token.Kind.WORD && KEYWORDS.contains(upper)) {
                        continue;
                    } else if (t.kind() == Token.Kind.WORD && NOT_COLUMNS.contains(upper)) {
                        return null;
                    } else if (isDot(tokens, i + 1, text)) {
                        if (!name(tokens, i + 2) || isDot(tokens, i + 3, text)) {
                            return null; // database.table.column is left to the read-back
                        }
                        out.add(new Column(Schema.unquote(s), Schema.unquote(tokens.get(i + 2).text(text))));
                        i += 2;
                    } else {
                        out.add(new Column(null, Schema.unquote(s)));
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return out;
    }

    /**
     * True when a plain expression's value is a number or NULL whatever the values it reads: an
     * arithmetic or comparison operator applies at its top level (outside parentheses), with no
     * CASE (whose branches give their values as they are). A unary {@code +} is no such operator:
     * it gives its operand unchanged.
     */
    public static boolean numeric(String text, SqlSyntax syntax) {
        if (text.contains("->")) {
            return false; // JSON's -> and ->> give text or any value
        }
        List<Token> tokens = SqlLexer.tokens(text, syntax);
        int depth = 0;
        boolean operator = false;
        Token previous = null;
        for (Token t : tokens) {
            switch (t.kind()) {
                case OPEN -> depth++;
                case CLOSE -> depth--;
                case WORD -> {
                    if (t.isWord(text, "CASE")) {
                        return false;
                    }
                }
                case OPERATOR -> {
                    String s = t.text(text);
                    boolean binary = previous != null && previous.kind() != Token.Kind.OPERATOR
                            && previous.kind() != Token.Kind.OPEN && previous.kind() != Token.Kind.COMMA;
                    if (depth == 0 && NUMERIC_OPERATORS.contains(s) && (binary || s.equals("-"))) {
                        operator = true;
                    }
                }
                default -> { }
            }
            previous = t;
        }
        return operator;
    }

    private static boolean isDot(List<Token> tokens, int i, String text) {
        return i < tokens.size() && tokens.get(i).kind() == Token.Kind.OPERATOR && tokens.get(i).text(text).equals(".");
    }

    private static boolean name(List<Token> tokens, int i) {
        return i < tokens.size() && (tokens.get(i).kind() == Token.Kind.WORD || tokens.get(i).kind() == Token.Kind.QUOTED_NAME);
    }
}
