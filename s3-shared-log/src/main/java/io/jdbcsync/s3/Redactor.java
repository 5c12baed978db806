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
            result = result.replace(secret, MASK);
        }
        return result;
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
            if (text.contains(secret)) {
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
