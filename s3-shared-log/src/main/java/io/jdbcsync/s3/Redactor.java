package io.jdbcsync.s3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Keeps the configured access and secret key out of every message this module produces. Error
 * text from the server or the SDK is not ours to trust, so it passes through here first. A short
 * secret (under {@value #SHORT} characters) is masked only where it stands alone, not inside other
 * words: a one-letter key must not turn every "a" of a message into the mask.
 */
final class Redactor {
    static final String MASK = "[redacted]";
    static final int SHORT = 8;

    private final List<String> secrets = new ArrayList<>();

    Redactor(String... secrets) {
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                this.secrets.add(secret);
            }
        }
    }

    String clean(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = secret.length() >= SHORT ? result.replace(secret, MASK) : standalone(secret).matcher(result).replaceAll(MASK);
        }
        return result;
    }

    /** The secret where neither neighbour could be part of a key (letters, digits, {@code +/_-}). */
    private static java.util.regex.Pattern standalone(String secret) {
        return java.util.regex.Pattern.compile("(?<![A-Za-z0-9+/_-])" + java.util.regex.Pattern.quote(secret)
                + "(?![A-Za-z0-9+/_-])");
    }

    private static boolean shows(String text, String secret) {
        return secret.length() >= SHORT ? text.contains(secret) : standalone(secret).matcher(text).find();
    }

    /** True if the text of {@code t}, its causes or suppressed exceptions shows a secret. */
    boolean leaks(Throwable t) {
        return leaks(t, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private boolean leaks(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        String text = t.toString();
        for (String secret : secrets) {
            if (shows(text, secret)) {
                return true;
            }
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (leaks(suppressed, seen)) {
                return true;
            }
        }
        return leaks(t.getCause(), seen);
    }
}
