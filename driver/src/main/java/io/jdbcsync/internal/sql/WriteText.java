package io.jdbcsync.internal.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The text of one write with its tokens: finds words and clauses at the top level, and cuts
 * slices and values out of the app's own text. The shape parsers read the text through it.
 */
class WriteText {

    final String sql;
    final SqlSyntax syntax;
    final boolean backslashEscapes;
    final List<Token> tokens;
    final int[] parameterOffsets;

    WriteText(String sql, SqlSyntax syntax) {
        this.sql = sql;
        this.syntax = syntax;
        this.backslashEscapes = syntax.backslashEscapes();
        this.tokens = SqlLexer.tokens(sql, syntax);
        this.parameterOffsets = tokens.stream().filter(t -> t.kind() == Token.Kind.PARAMETER).mapToInt(Token::start).toArray();
    }

    /** The same text, lexed once, read by another parser. */
    WriteText(WriteText text) {
        this.sql = text.sql;
        this.syntax = text.syntax;
        this.backslashEscapes = text.backslashEscapes;
        this.tokens = text.tokens;
        this.parameterOffsets = text.parameterOffsets;
    }

    Set<String> names() {
        Set<String> names = new HashSet<>();
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_NAME && t.end() - t.start() >= 2) {
                names.add(name(k).toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(names);
    }

    /** The value of the tokens [from, to). */
    ValueSource valueOf(int from, int to) {
        int count = to - from;
        if (count == 1) {
            Token t = tokens.get(from);
            switch (t.kind()) {
                case PARAMETER:
                    return new ValueSource.Parameter(parameterIndex(t.start()));
                case NUMBER: {
                    Long l = integerLiteral(t.text(sql));
                    if (l != null) {
                        return new ValueSource.Literal(l);
                    }
                    break;
                }
                case STRING: {
                    String s = stringLiteral(t.text(sql));
                    if (s != null) {
                        return new ValueSource.Literal(s);
                    }
                    break;
                }
                case WORD:
                    if (isWord(from, "NULL")) {
                        return new ValueSource.Literal(null);
                    }
                    if (isWord(from, "DEFAULT")) {
                        return new ValueSource.Default(t.start(), t.end());
                    }
                    break;
                default:
                    break;
            }
        } else if (count == 2 && tokens.get(from).kind() == Token.Kind.OPERATOR && sql.charAt(tokens.get(from).start()) == '-'
                && tokens.get(from + 1).kind() == Token.Kind.NUMBER) {
            Long l = integerLiteral(tokens.get(from + 1).text(sql));
            if (l != null && l != Long.MIN_VALUE) {
                return new ValueSource.Literal(-l);
            }
        }
        int start = from < to ? tokens.get(from).start() : tokens.get(Math.max(0, from - 1)).end();
        int end = from < to ? tokens.get(to - 1).end() : start;
        return new ValueSource.Expression(slice(start, end));
    }

    static Long integerLiteral(String text) {
        for (int k = 0; k < text.length(); k++) {
            if (!Character.isDigit(text.charAt(k))) {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String stringLiteral(String text) {
        return stringLiteral(text, backslashEscapes);
    }

    /** The value of a {@code '...'} literal; null when it holds a backslash that may escape. */
    static String stringLiteral(String text, boolean backslashEscapes) {
        if (text.length() < 2 || text.charAt(0) != '\'' || text.charAt(text.length() - 1) != '\'') {
            return null;
        }
        String body = text.substring(1, text.length() - 1);
        if (backslashEscapes && body.indexOf('\\') >= 0) {
            return null;
        }
        return body.replace("''", "'");
    }

    boolean isOperator(int index, char c) {
        return index < tokens.size() && tokens.get(index).kind() == Token.Kind.OPERATOR && sql.charAt(tokens.get(index).start()) == c;
    }

    List<String> splitNames(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_NAME) {
                String n = name(k);
                if (k + 2 < to && sql.charAt(tokens.get(k + 1).start()) == '.' && sql.charAt(tokens.get(k + 2).start()) == '*') {
                    k += 2;
                }
                out.add(n);
            }
        }
        return out;
    }

    /** The table an alias stands for within the token range of a FROM list; the name itself if none. */
    String resolveAlias(String alias, int from, int to) {
        for (int k = from; k < to; k++) {
            if (tokens.get(k).kind() == Token.Kind.WORD || tokens.get(k).kind() == Token.Kind.QUOTED_NAME) {
                int a = k + 1;
                if (a < to && isWord(a, "AS")) {
                    a++;
                }
                if (a < to && (tokens.get(a).kind() == Token.Kind.WORD || tokens.get(a).kind() == Token.Kind.QUOTED_NAME)
                        && alias.equalsIgnoreCase(name(a)) && !alias.equalsIgnoreCase(name(k))) {
                    return tokens.get(k).text(sql);
                }
            }
        }
        return alias;
    }

    String name(int index) {
        if (index >= tokens.size()) {
            return null;
        }
        Token t = tokens.get(index);
        if (t.kind() == Token.Kind.WORD) {
            return t.text(sql);
        }
        if (t.kind() == Token.Kind.QUOTED_NAME) {
            String q = t.text(sql);
            return q.substring(1, q.length() - 1);
        }
        return null;
    }

    int skipModifiers(int i) {
        while (i < tokens.size() && (isWord(i, "LOW_PRIORITY") || isWord(i, "QUICK") || isWord(i, "IGNORE"))) {
            i++;
        }
        if (i + 1 < tokens.size() && isWord(i, "OR")) {
            i += 2;
        }
        return i;
    }

    /** Index of the first token at depth 0 from {@code from} that starts one of {@code words}, or size. */
    int clauseEnd(int from, Set<String> words) {
        for (int k = from; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.depth() == 0 && (t.kind() == Token.Kind.SEMICOLON
                    || t.kind() == Token.Kind.WORD && words.contains(t.text(sql).toUpperCase(Locale.ROOT)))) {
                return k;
            }
        }
        return tokens.size();
    }

    int endOffset(int tokenIndex) {
        return tokenIndex < tokens.size() ? tokens.get(tokenIndex).start() : sql.length();
    }

    int matching(int open) {
        int depth = tokens.get(open).depth();
        for (int k = open + 1; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.kind() == Token.Kind.CLOSE && t.depth() == depth) {
                return k;
            }
        }
        throw new ShapeException(null, "unbalanced parentheses");
    }

    int firstTopLevelWord(String... words) {
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).depth() == 0) {
                for (String w : words) {
                    if (isWord(k, w)) {
                        return k;
                    }
                }
            }
        }
        return -1;
    }

    int firstTopLevelWordAfter(int from, String word) {
        for (int k = from; k < tokens.size(); k++) {
            if (tokens.get(k).depth() == 0 && isWord(k, word)) {
                return k;
            }
        }
        return -1;
    }

    boolean hasTopLevelWord(String word) {
        return firstTopLevelWord(word) >= 0;
    }

    boolean isWord(int index, String word) {
        return index < tokens.size() && tokens.get(index).isWord(sql, word);
    }

    String word(int index) {
        return tokens.get(index).text(sql).toUpperCase(Locale.ROOT);
    }

    int lastSignificantEnd() {
        for (int k = tokens.size() - 1; k >= 0; k--) {
            if (tokens.get(k).kind() != Token.Kind.SEMICOLON) {
                return tokens.get(k).end();
            }
        }
        return 0;
    }

    int parameterIndex(int offset) {
        for (int k = 0; k < parameterOffsets.length; k++) {
            if (parameterOffsets[k] == offset) {
                return k + 1;
            }
        }
        throw new IllegalStateException("no parameter at " + offset);
    }

    Slice slice(int start, int end) {
        List<Integer> params = new ArrayList<>();
        for (int k = 0; k < parameterOffsets.length; k++) {
            if (parameterOffsets[k] >= start && parameterOffsets[k] < end) {
                params.add(k + 1);
            }
        }
        return new Slice(sql.substring(start, end).trim(), params.stream().mapToInt(Integer::intValue).toArray());
    }

    static Slice join(Slice a, String separator, Slice b) {
        int[] p = new int[a.parameters().length + b.parameters().length];
        System.arraycopy(a.parameters(), 0, p, 0, a.parameters().length);
        System.arraycopy(b.parameters(), 0, p, a.parameters().length, b.parameters().length);
        return new Slice(a.text() + separator + b.text(), p);
    }
}
