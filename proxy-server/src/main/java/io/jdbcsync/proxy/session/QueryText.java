package io.jdbcsync.proxy.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of COM_QUERY / COM_STMT_PREPARE. A query is bytes, and clients put binary values in it
 * as quoted literals ({@code _binary'\0\xff'}), which no Java string can carry through the JDBC
 * stack; such a literal is rewritten as the equal hex literal {@code X'00ff'}. Everything else is
 * decoded as UTF-8 unchanged.
 */
final class QueryText {
    private static final java.util.regex.Pattern BINARY_INTRODUCER =
            java.util.regex.Pattern.compile("(?i)(?<![\\w$])_binary\\s*$");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private QueryText() {
    }

    static String decode(byte[] sql, boolean backslashEscapes) {
        if (isUtf8(sql, 0, sql.length)) {
            return new String(sql, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(sql.length * 2);
        int copied = 0;
        int i = 0;
        while (i < sql.length) {
            byte b = sql[i];
            if (b == '\'' || b == '"') {
                int end = closingQuote(sql, i, b, backslashEscapes);
                if (end < 0) {
                    break;
                }
                byte[] value = unescape(sql, i + 1, end, b, backslashEscapes);
                if (!isUtf8(value, 0, value.length)) {
                    String before = new String(sql, copied, i - copied, StandardCharsets.UTF_8);
                    // X'..' is a binary string already; the _binary introducer in front of it only
                    // confuses SQL parsers.
                    out.append(BINARY_INTRODUCER.matcher(before).replaceFirst(""));
                    out.append("X'");
                    for (byte v : value) {
                        out.append(HEX[(v >> 4) & 0xF]).append(HEX[v & 0xF]);
                    }
                    out.append('\'');
                    copied = end + 1;
                }
                i = end + 1;
            } else if (b == '`') {
                int end = closingQuote(sql, i, b, false);
                i = end < 0 ? sql.length : end + 1;
            } else {
                i++;
            }
        }
        out.append(new String(sql, copied, sql.length - copied, StandardCharsets.UTF_8));
        return out.toString();
    }

    private static int closingQuote(byte[] sql, int start, byte quote, boolean backslashEscapes) {
        for (int i = start + 1; i < sql.length; i++) {
            if (sql[i] == '\\' && backslashEscapes) {
                i++;
            } else if (sql[i] == quote) {
                if (i + 1 < sql.length && sql[i + 1] == quote) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The bytes a quoted literal stands for (MariaDB's backslash escapes and doubled quotes). */
    private static byte[] unescape(byte[] sql, int from, int to, byte quote, boolean backslashEscapes) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = sql[i];
            if (b == '\\' && backslashEscapes && i + 1 < to) {
                byte e = sql[++i];
                switch (e) {
                    case '0': out[n++] = 0; break;
                    case 'n': out[n++] = '\n'; break;
                    case 'r': out[n++] = '\r'; break;
                    case 't': out[n++] = '\t'; break;
                    case 'b': out[n++] = '\b'; break;
                    case 'Z': out[n++] = 0x1A; break;
                    // \% and \_ keep their backslash (they matter to LIKE).
                    case '%': case '_': out[n++] = '\\'; out[n++] = e; break;
                    default: out[n++] = e; break;
                }
            } else if (b == quote && i + 1 < to && sql[i + 1] == quote) {
                out[n++] = b;
                i++;
            } else {
                out[n++] = b;
            }
        }
        byte[] exact = new byte[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }

    private static boolean isUtf8(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
