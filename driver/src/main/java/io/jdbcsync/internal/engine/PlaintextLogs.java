package io.jdbcsync.internal.engine;

import io.jdbcsync.spi.SharedLog;

import java.io.IOException;

/**
 * Tells whether a shared log without {@code keyinfo} already holds changes. Such changes are
 * plaintext (an encrypting device writes {@code keyinfo} before anything else), so a device that
 * encrypts must not join: it could not read them, and the devices that wrote them could no longer
 * read the log.
 */
final class PlaintextLogs {

    private PlaintextLogs() {
    }

    static boolean holdsPlaintext(SharedLog log) throws IOException {
        for (String device : log.listDevices()) {
            if (!log.listBatches(device, -1, 1).isEmpty()) {
                return true;
            }
        }
        return !log.listObjects("snapshots/").isEmpty();
    }
}
