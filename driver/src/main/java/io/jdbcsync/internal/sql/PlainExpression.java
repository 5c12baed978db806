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

    private static boolean isDot(List<Token> tokens, int i, String text) {
        return i < tokens.size() && tokens.get(i).kind() == Token.Kind.OPERATOR && tokens.get(i).text(text).equals(".");
    }

    private static boolean name(List<Token> tokens, int i) {
        return i < tokens.size() && (tokens.get(i).kind() == Token.Kind.WORD || tokens.get(i).kind() == Token.Kind.QUOTED_NAME);
    }
}
