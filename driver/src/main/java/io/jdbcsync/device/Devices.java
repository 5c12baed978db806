package io.jdbcsync.device;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The devices this process has open, one per database, found by the id stored in the database. */
public final class Devices {
    private static final Map<String, Device> OPEN = new ConcurrentHashMap<>();

    private Devices() {
    }

    /** The device behind a freshly opened raw connection, shared with its other connections. */
    public static Device forConnection(Connection raw, Dialect dialect, SyncOptions options) throws SQLException {
        Device probe = Device.open(raw, dialect, options);
        return OPEN.computeIfAbsent(dialect.name() + ":" + probe.id(), k -> probe);
    }

    /** Forgets a device whose last connection closed (the next connect reads it afresh). */
    public static void forget(Device device) {
        OPEN.remove(device.dialect().name() + ":" + device.id(), device);
    }

    /** Forgets every device (tests that delete databases and create new ones under the same id). */
    static void clear() {
        OPEN.clear();
    }
}
