package io.jdbcsync.internal.device;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.dialect.WriterLock;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The devices this process has open, one per database, found by the id stored in the database. */
public final class Devices {
    private static final Map<String, Device> OPEN = new ConcurrentHashMap<>();
    private static final Map<Device, String> LOCATIONS = new ConcurrentHashMap<>();
    /** Devices of databases not set up yet, by location: their identity is not stored yet. */
    private static final Map<String, Device> PENDING = new ConcurrentHashMap<>();

    private Devices() {
    }

    /** The device behind a freshly opened raw connection, shared with its other connections. */
    public static Device forConnection(Connection raw, Dialect dialect, SyncOptions options, WriterLock.Opener opener)
            throws SQLException {
        String location = dialect.databaseLocation(raw);
        Device chosen = PENDING.get(dialect.name() + ":" + location);
        Device probe = Device.open(raw, dialect, options, chosen == null ? null : chosen.id());
        SQLException[] failed = new SQLException[1];
        if (!probe.isSetUp()) {
            // Not set up yet: its tables (key blocks included) come at its first DDL or captured write.
            Device pending = PENDING.computeIfAbsent(dialect.name() + ":" + location, k -> {
                try {
                    probe.start(dialect.lockWriter(location, opener));
                } catch (SQLException e) {
                    failed[0] = e;
                    return null;
                }
                return probe;
            });
            if (pending == null) {
                throw failed[0];
            }
            if (pending.isSetUp() || pending.withoutMetadata() != null && probe.withoutMetadata() == null) {
                // Set up meanwhile through another connection, or read-only for another: not this one's.
                if (pending != probe) {
                    probe.start(dialect.lockWriter(location, opener));
                }
                return probe;
            }
            OPEN.putIfAbsent(dialect.name() + ":" + pending.id(), pending);
            LOCATIONS.putIfAbsent(pending, location);
            return pending;
        }
        Device device = OPEN.computeIfAbsent(dialect.name() + ":" + probe.id(), k -> {
            try {
                createKeyBlocks(raw, dialect);
                probe.start(dialect.lockWriter(location, opener));
            } catch (SQLException e) {
                failed[0] = e;
                return null;
            }
            LOCATIONS.put(probe, location);
            return probe;
        });
        if (device == null) {
            throw failed[0];
        }
        String known = LOCATIONS.get(device);
        if (known != null && !known.equals(location)) {
            // Sharing the device would sync one database as the other and mix their clocks.
            throw new SQLException("the database " + location + " has the same jdbc-sync device id (" + device.id()
                    + ") as " + known + ", open in this process: one is a copy of the other. Give the copy its own"
                    + " identity by dropping its _sync_ tables (its rows then count as data that predates sync).",
                    "08004");
        }
        return device;
    }

    /** The key-block table of a set-up database; a connection that cannot write reads without it. */
    private static void createKeyBlocks(Connection raw, Dialect dialect) throws SQLException {
        try {
            io.jdbcsync.internal.keys.KeyBlocks.createTable(raw);
        } catch (SQLException e) {
            if (!dialect.refusesWrites(raw, e)) {
                throw e;
            }
        }
    }

    /** Forgets a device whose last connection closed (the next connect reads it afresh). */
    public static void forget(Device device) {
        if (OPEN.remove(device.dialect().name() + ":" + device.id(), device)) {
            device.stop();
        }
        String location = LOCATIONS.remove(device);
        if (location != null) {
            PENDING.remove(device.dialect().name() + ":" + location, device);
        }
    }

    /** Forgets every device (tests that delete databases and create new ones under the same id). */
    static void clear() {
        OPEN.values().forEach(Device::stop);
        OPEN.clear();
        PENDING.clear();
    }
}
