package io.jdbcsync;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The URL as {@code DatabaseMetaData.getURL()} shows it: without any secret (passphrases,
 * passwords, secret keys), whether given as a parameter or as {@code user:password@} in the
 * authority, as the MariaDB driver leaves out the password.
 */
final class UrlRedaction {
    private static final Pattern USER_PASSWORD = Pattern.compile("(//[^/?@:]*):[^/?@]*@");

    private UrlRedaction() {
    }

    static String redact(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        base = USER_PASSWORD.matcher(base).replaceFirst("$1@");
        if (q < 0) {
            return base;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String part : url.substring(q + 1).split("&", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (!SyncOptions.isSecret(name)) {
                kept.add(part);
            }
        }
        return kept.length() == 0 ? base : base + "?" + kept;
    }
}
