package io.jdbcsync.s3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Keeps the configured access and secret key out of every message this module produces. Error
 * text from the server or the SDK is not ours to trust, so it passes through here first.
 */
final class Redactor {
    static final String MASK = "[redacted]";
    /**
     * A secret this long is masked wherever it appears; a shorter one only where it stands as a
     * whole token, or a one-letter key would mask that letter in every word of the message.
     */
    private static final int MASK_ANYWHERE_LENGTH = 8;

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
            result = secret.length() >= MASK_ANYWHERE_LENGTH ? result.replace(secret, MASK) : maskTokens(result, secret);
        }
        return result;
    }

    private static String maskTokens(String text, String secret) {
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
            if (at < from || !standsAlone(text, at, secret.length())) {
                continue;
            }
            out.append(text, from, at).append(MASK);
            from = at + secret.length();
        }
        return out.append(text, from, text.length()).toString();
    }

    private static boolean standsAlone(String text, int at, int length) {
        int end = at + length;
        return (at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1)))
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)));
    }

    private static boolean shows(String text, String secret) {
        return secret.length() >= MASK_ANYWHERE_LENGTH ? text.contains(secret) : !maskTokens(text, secret).equals(text);
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
