package io.jdbcsync.internal.sql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Blanks out parentheses that only wrap another parenthesised group, {@code ((x))} to
 * {@code ( x )}, keeping every other character where it is. JSqlParser refuses deep nesting that
 * the databases accept; removing the redundant levels lets it read such texts, and the blanks keep
 * the token positions the capture splices at.
 */
final class RedundantParentheses {

    private RedundantParentheses() {
    }

    /** The text with redundant parentheses blanked; the text itself when there are none. */
    static String blank(String sql, List<Token> tokens) {
        int n = tokens.size();
        int[] match = new int[n];
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            match[i] = -1;
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.OPEN) {
                open.push(i);
            } else if (t.kind() == Token.Kind.CLOSE && !open.isEmpty()) {
                int o = open.pop();
                match[o] = i;
                match[i] = o;
            }
        }
        char[] out = null;
        for (int i = 0; i + 1 < n; i++) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.OPEN && match[i] > 0 && tokens.get(i + 1).kind() == Token.Kind.OPEN
                    && match[i + 1] == match[i] - 1) {
                if (out == null) {
                    out = sql.toCharArray();
                }
                out[tokens.get(i + 1).start()] = ' ';
                out[tokens.get(match[i] - 1).start()] = ' ';
            }
        }
        return out == null ? sql : new String(out);
    }
}
