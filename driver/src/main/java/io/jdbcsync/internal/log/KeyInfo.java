package io.jdbcsync.internal.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code keyinfo} object: what a device needs, besides the secret, to rebuild the shared log's
 * key and to tell a wrong secret from a damaged batch. It holds no secret itself.
 *
 * <p>Format: US-ASCII text, lines ending in LF. The first line is {@code jdbc-sync-keyinfo 1}
 * (the format version); then {@code name=value} lines in any order, unknown names ignored:
 * <pre>
 * jdbc-sync-keyinfo 1
 * kind=pbkdf2-hmac-sha256            or raw-key
 * iterations=600000                  pbkdf2 only: PBKDF2 iteration count
 * salt=0f1e...                       pbkdf2 only: 16 random bytes, lower-case hex
 * check=9a8b...                      key check value, lower-case hex
 * </pre>
 * The check value is {@link BatchCipher#seal} of the ASCII text {@code jdbc-sync key check} with
 * associated data {@code keyinfo-check}: 12-byte IV, ciphertext, 16-byte tag.
 */
final class KeyInfo {

    static final String PASSPHRASE_KIND = "pbkdf2-hmac-sha256";
    static final String RAW_KEY_KIND = "raw-key";

    private static final int FORMAT_VERSION = 1;
    private static final String FIRST_LINE_PREFIX = "jdbc-sync-keyinfo ";
    private static final int MAX_ITERATIONS = 100_000_000;
    private static final HexFormat HEX = HexFormat.of();

    private final String kind;
    private final int iterations;
    private final byte[] salt;
    private final byte[] check;

    private KeyInfo(String kind, int iterations, byte[] salt, byte[] check) {
        this.kind = kind;
        this.iterations = iterations;
        this.salt = salt;
        this.check = check;
    }

    static KeyInfo forPassphrase(int iterations, byte[] salt, byte[] check) {
        return new KeyInfo(PASSPHRASE_KIND, iterations, salt.clone(), check.clone());
    }

    static KeyInfo forRawKey(byte[] check) {
        return new KeyInfo(RAW_KEY_KIND, 0, new byte[0], check.clone());
    }

    boolean usesPassphrase() {
        return kind.equals(PASSPHRASE_KIND);
    }

    int iterations() {
        return iterations;
    }

    byte[] salt() {
        return salt.clone();
    }

    byte[] check() {
        return check.clone();
    }

    byte[] toBytes() {
        StringBuilder text = new StringBuilder(FIRST_LINE_PREFIX).append(FORMAT_VERSION).append('\n');
        text.append("kind=").append(kind).append('\n');
        if (usesPassphrase()) {
            text.append("iterations=").append(iterations).append('\n');
            text.append("salt=").append(HEX.formatHex(salt)).append('\n');
        }
        text.append("check=").append(HEX.formatHex(check)).append('\n');
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static KeyInfo parse(byte[] bytes) throws IOException {
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
        if (!lines[0].startsWith(FIRST_LINE_PREFIX)) {
            throw malformed("it does not start with '" + FIRST_LINE_PREFIX.trim() + "'");
        }
        int version = parseInt(lines[0].substring(FIRST_LINE_PREFIX.length()).trim(), "format version");
        if (version > FORMAT_VERSION) {
            throw new IOException("keyinfo format version " + version
                    + " is newer than this reader supports (" + FORMAT_VERSION + ")");
        }
        if (version != FORMAT_VERSION) {
            throw malformed("unknown format version " + version);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        String kind = required(fields, "kind");
        byte[] check = hex(required(fields, "check"), "check");
        switch (kind) {
            case PASSPHRASE_KIND: {
                int iterations = parseInt(required(fields, "iterations"), "iterations");
                if (iterations < 1 || iterations > MAX_ITERATIONS) {
                    throw malformed("iterations " + iterations + " out of range");
                }
                byte[] salt = hex(required(fields, "salt"), "salt");
                if (salt.length < 16) {
                    throw malformed("salt is shorter than 16 bytes");
                }
                return new KeyInfo(kind, iterations, salt, check);
            }
            case RAW_KEY_KIND:
                return new KeyInfo(kind, 0, new byte[0], check);
            default:
                throw malformed("unknown key kind '" + kind + "'");
        }
    }

    private static String required(Map<String, String> fields, String name) throws IOException {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw malformed("'" + name + "' is missing");
        }
        return value;
    }

    private static int parseInt(String text, String field) throws IOException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw malformed(field + " '" + text + "' is not a number");
        }
    }

    private static byte[] hex(String text, String field) throws IOException {
        try {
            return HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw malformed(field + " is not hexadecimal");
        }
    }

    private static IOException malformed(String reason) {
        return new IOException("the shared log's keyinfo object is malformed: " + reason);
    }
}
