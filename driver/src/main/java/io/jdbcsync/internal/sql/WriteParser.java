package io.jdbcsync.internal.sql;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

import java.util.Set;

/**
 * Turns the text of a data-changing statement into its shape. JSqlParser validates the statement
 * and names its parts; the token positions say where those parts are in the app's own text.
 */
final class WriteParser extends WriteText {

    private WriteParser(String sql, SqlSyntax syntax) {
        super(sql, syntax);
    }

    static Analysis parse(String sql, SqlSyntax syntax) {
        return new WriteParser(sql, syntax).parse();
    }

    /** Every name a text mentions (see {@link Analysis#names()}). */
    static Set<String> names(String sql, SqlSyntax syntax) {
        return new WriteParser(sql, syntax).names();
    }

    /** Parses; on failure, tries again without redundant parentheses, which JSqlParser nests only so deep. */
    private Statement parseDeep(String parseable) throws JSQLParserException {
        try {
            return StatementParsing.parse(parseable);
        } catch (JSQLParserException e) {
            String flatter = RedundantParentheses.blank(parseable, SqlLexer.tokens(parseable, syntax));
            if (flatter.equals(parseable)) {
                throw e;
            }
            return StatementParsing.parse(flatter);
        }
    }

    private Analysis parse() {
        if (tokens.stream().anyMatch(t -> t.kind() == Token.Kind.SEMICOLON && t.end() < lastSignificantEnd())) {
            return unreadable("several statements in one text");
        }
        if (SqlLexer.hasExecutableComment(sql, syntax)) {
            // The server runs what is inside /*! ... */; the parser would take it for a comment.
            return unreadable("a write with an executable comment (/*! ... */) cannot be captured; write it without one");
        }
        int returning = firstTopLevelWord("RETURNING");
        if (returning >= 0) {
            return returning(returning);
        }
        String parseable = sql;
        ConflictMode sqliteOr = null;
        int verb = firstTopLevelWord("INSERT", "REPLACE", "UPDATE", "DELETE", "TRUNCATE", "UPSERT", "MERGE", "LOAD");
        if (verb < 0) {
            return unreadable("no INSERT, UPDATE or DELETE found");
        }
        String verbWord = word(verb);
        if (verbWord.equals("TRUNCATE")) {
            int name = verb + 1;
            if (name < tokens.size() && isWord(name, "TABLE")) {
                name++;
            }
            String table = name < tokens.size() ? tokens.get(name).text(sql) : null;
            return Analysis.uncapturable(sql, table, "TRUNCATE cannot be captured row by row; use DELETE FROM",
                    parameterOffsets);
        }
        if (!Set.of("INSERT", "REPLACE", "UPDATE", "DELETE").contains(verbWord)) {
            return unreadable(verbWord + " statements cannot be captured");
        }
        // SQLite's INSERT/UPDATE OR <resolution>: JSqlParser knows only OR REPLACE, so blank the
        // clause out for the parser (positions stay) and remember it.
        if (verb + 2 < tokens.size() && isWord(verb + 1, "OR") && !isWord(verb + 2, "REPLACE")) {
            String resolution = word(verb + 2);
            sqliteOr = resolution.equals("IGNORE") ? ConflictMode.IGNORE : ConflictMode.FAIL;
            if (verbWord.equals("UPDATE") && sqliteOr == ConflictMode.IGNORE) {
                return unreadable("UPDATE OR IGNORE cannot be captured exactly");
            }
            Token a = tokens.get(verb + 1);
            Token b = tokens.get(verb + 2);
            parseable = sql.substring(0, a.start()) + " ".repeat(b.end() - a.start()) + sql.substring(b.end());
        } else if (verbWord.equals("UPDATE") && verb + 2 < tokens.size() && isWord(verb + 1, "OR")) {
            return unreadable("UPDATE OR REPLACE can delete other rows and cannot be captured");
        }
        Statement statement;
        try {
            statement = parseDeep(backslashesBlanked(parseable));
        } catch (JSQLParserException | RuntimeException e) {
            String msg = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            return unreadable("cannot parse: " + firstLine(msg));
        }
        try {
            if (statement instanceof Insert insert) {
                return new InsertParser(this).insert(verb, insert, sqliteOr);
            }
            if (statement instanceof Upsert upsert) {
                return new InsertParser(this).upsert(verb, upsert);
            }
            if (statement instanceof Update update) {
                return new FilterParser(this).update(verb, update);
            }
            if (statement instanceof Delete delete) {
                return new FilterParser(this).delete(verb, delete);
            }
        } catch (ShapeException e) {
            return e.table == null ? unreadable(e.getMessage())
                    : Analysis.uncapturable(sql, e.table, e.getMessage(), parameterOffsets);
        }
        return unreadable(statement.getClass().getSimpleName() + " cannot be captured");
    }

    /**
     * {@code ... RETURNING list}: the write before the clause is analysed as any other; the capture
     * runs it and reads the list back from the rows it stored.
     */
    private Analysis returning(int at) {
        Token word = tokens.get(at);
        String list = sql.substring(word.end()).strip();
        while (list.endsWith(";")) {
            list = list.substring(0, list.length() - 1).strip();
        }
        Analysis inner = new WriteParser(sql.substring(0, word.start()), syntax).parse();
        String problem = inner.problem();
        if (list.isEmpty()) {
            problem = "RETURNING without a list";
        } else if (parameterOffsets.length > 0 && parameterOffsets[parameterOffsets.length - 1] > word.start()) {
            problem = "parameters in a RETURNING list are not supported";
        }
        return Analysis.returning(sql, inner, list, problem, parameterOffsets);
    }

    /**
     * Where a backslash escapes nothing (SQLite), JSqlParser still reads {@code \'} inside a string
     * as an escaped quote and loses the literal's end. It gets the text with the backslashes of
     * string literals blanked: positions stay, and values are read from the app's own text.
     */
    private String backslashesBlanked(String text) {
        if (syntax.backslashEscapes() || text.indexOf('\\') < 0) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (Token t : tokens) {
            if (t.kind() == Token.Kind.STRING) {
                for (int i = t.start(); i < t.end(); i++) {
                    if (chars[i] == '\\') {
                        chars[i] = ' ';
                    }
                }
            }
        }
        return new String(chars);
    }

    /** A write whose target is unknown; it carries every name it mentions (see {@link Analysis#names()}). */
    private Analysis unreadable(String problem) {
        return Analysis.unreadable(sql, problem, names(), parameterOffsets);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
