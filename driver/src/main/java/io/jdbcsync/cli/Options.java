package io.jdbcsync.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs of a command. */
final class Options {
    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    static Options parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options look like --name value)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            m.put(a.substring(2), args[++i]);
        }
        return new Options(m);
    }

    String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int getInt(String name, int def) {
        String v = values.get(name);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /** The URL from --url, as a jdbc:sync: URL, with --log added as sync.log. */
    String syncUrl() {
        String url = require("url");
        if (url.startsWith("jdbc:") && !url.startsWith("jdbc:sync:")) {
            url = "jdbc:sync:" + url.substring("jdbc:".length());
        }
        String log = values.get("log");
        if (log != null) {
            url += (url.contains("?") ? "&" : "?") + "sync.log=" + java.net.URLEncoder.encode(log, java.nio.charset.StandardCharsets.UTF_8);
        }
        return url;
    }
}
