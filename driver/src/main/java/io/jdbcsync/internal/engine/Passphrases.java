package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncConfig;
import io.jdbcsync.SyncOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the encryption passphrase comes from, so that it need not be written into a URL:
 * {@code sync.passphrase}, else the first line of {@code sync.passphrase-file}, else the
 * environment variable {@value SyncOptions#PASSPHRASE_ENV}.
 */
final class Passphrases {

    private Passphrases() {
    }

    /** The passphrase, or null when none is configured. */
    static char[] resolve(SyncConfig options, Map<String, String> environment) throws IOException {
        String given = options.passphrase();
        if (given != null) {
            return nonEmpty(given, "sync.passphrase");
        }
        String file = options.passphraseFile();
        if (file != null) {
            String text;
            try {
                text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read the passphrase file " + file + " (sync.passphrase-file): " + e, e);
            }
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return nonEmpty(line, "the first line of " + file);
        }
        String env = environment.get(SyncOptions.PASSPHRASE_ENV);
        return env == null ? null : nonEmpty(env, "the environment variable " + SyncOptions.PASSPHRASE_ENV);
    }

    private static char[] nonEmpty(String passphrase, String source) throws IOException {
        if (passphrase.isEmpty()) {
            throw new IOException("the encryption passphrase from " + source + " is empty");
        }
        return passphrase.toCharArray();
    }
}
