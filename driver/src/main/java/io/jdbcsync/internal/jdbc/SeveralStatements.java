package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.dialect.Dialect;

import java.util.Locale;
import java.util.Properties;

/**
 * Whether the underlying connection takes texts of several statements. On MariaDB the driver
 * turns that on (unless the app set it either way), so that an autocommit write by key goes with
 * its log row and the commit in one round trip; a text of several statements from an app that did
 * not ask for them is then refused by the driver, as the server would refuse it.
 *
 * @param enabled    the underlying connection runs texts of several statements
 * @param appAsked   the app's URL or properties turned that on itself
 * @param forCapture the capture may send several statements in one text (client-side prepared)
 */
public record SeveralStatements(boolean enabled, boolean appAsked, boolean forCapture) {
    static final SeveralStatements NONE = new SeveralStatements(false, false, false);

    /**
     * Decides for a connection to {@code url} with {@code info}; adds the dialect's property to
     * {@code info} when it turns it on.
     */
    public static SeveralStatements decide(Dialect dialect, String url, Properties info) {
        String property = dialect.severalStatementsProperty();
        if (property == null) {
            return NONE;
        }
        String asked = setting(url, info, property);
        // Prepared on the server, the capture's text of several statements must be marked to be
        // prepared on the client, which only some drivers understand.
        boolean serverPrepared = "true".equalsIgnoreCase(setting(url, info, "useServerPrepStmts"))
                && !dialect.preparesOnClient(url);
        if (asked != null) {
            boolean on = "true".equalsIgnoreCase(asked.trim());
            return new SeveralStatements(on, on, on && !serverPrepared);
        }
        info.setProperty(property, "true");
        return new SeveralStatements(true, false, !serverPrepared);
    }

    /** True when a text of several statements must be refused: the app did not ask for them. */
    boolean refuses() {
        return enabled && !appAsked;
    }

    /** A setting from the URL's query (which wins) or the properties, names compared case-insensitively. */
    private static String setting(String url, Properties info, String name) {
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String part : url.substring(q + 1).split("[&;]")) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                if (key.trim().equalsIgnoreCase(name)) {
                    return eq < 0 ? "true" : part.substring(eq + 1);
                }
            }
        }
        for (String key : info.stringPropertyNames()) {
            if (key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return info.getProperty(key);
            }
        }
        return null;
    }
}
