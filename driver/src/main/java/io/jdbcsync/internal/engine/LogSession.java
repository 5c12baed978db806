package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncConfig;
import io.jdbcsync.internal.log.BatchCipher;
import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.SharedLogs;
import io.jdbcsync.spi.SharedLog;

import java.io.IOException;
import java.nio.file.Path;

/** The shared log this device syncs through, with the batch codec (and cipher) for it. */
final class LogSession implements AutoCloseable {
    final SharedLog log;
    final BatchCodec codec;
    final BatchCipher cipher;
    /** Whether this session made sure no batch of this device lies beyond the next one it writes. */
    boolean ownSequenceChecked;
    /** Remote devices whose cursor this session found consistent with the log. */
    final java.util.Set<String> cursorsChecked = new java.util.HashSet<>();

    private LogSession(SharedLog log, BatchCodec codec, BatchCipher cipher) {
        this.log = log;
        this.codec = codec;
        this.cipher = cipher;
    }

    static LogSession open(SyncConfig options) throws IOException {
        String location = options.log();
        if (location == null) {
            throw new IOException("no shared log configured: set sync.log (a directory, file:///path or s3://bucket/prefix)");
        }
        SharedLog log = SharedLogs.open(location, options.given());
        try {
            BatchCipher cipher = null;
            String keyFile = options.keyFile();
            char[] passphrase = keyFile == null ? Passphrases.resolve(options, System.getenv()) : null;
            if ((passphrase != null || keyFile != null) && log.getObject("keyinfo").isEmpty()
                    && PlaintextLogs.holdsPlaintext(log)) {
                throw new IOException("the shared log " + log.describe() + " holds unencrypted changes, and this device"
                        + " is set to encrypt (" + (keyFile != null ? "sync.key-file" : "a passphrase") + "): devices"
                        + " of one log must all encrypt or all not. Remove the passphrase/key file from this device,"
                        + " or move every device to a new, empty shared log with the same passphrase on each");
            }
            if (passphrase != null) {
                try {
                    cipher = BatchCipher.open(log, passphrase);
                } finally {
                    java.util.Arrays.fill(passphrase, '\0');
                }
            } else if (keyFile != null) {
                cipher = BatchCipher.fromKeyFile(log, Path.of(keyFile));
            } else if (log.getObject("keyinfo").isPresent()) {
                throw new IOException("the shared log " + log.describe()
                        + " is encrypted: set sync.passphrase (or sync.key-file) to sync with it");

            }
            return new LogSession(log, new BatchCodec(cipher), cipher);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
