package io.jdbcsync.engine;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.device.Device;
import io.jdbcsync.device.Devices;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One sync engine per open device in this process, shared by its connections; it stops (thread,
 * connection, shared log) when the last of them closes.
 */
public final class Engines {
    private static final Map<String, Engine> ENGINES = new HashMap<>();

    private Engines() {
    }

    /** The engine of a device; each call counts one more open connection. */
    public static synchronized Engine forDevice(Device device, SyncOptions options, String underlyingUrl, Properties info) {
        Engine e = ENGINES.computeIfAbsent(device.id(), id -> new Engine(device, options, underlyingUrl, info));
        e.opened++;
        return e;
    }

    static synchronized void closed(Engine e) {
        if (--e.opened == 0 && ENGINES.get(e.deviceId0()) == e) {
            ENGINES.remove(e.deviceId0());
            e.shutdown();
            Devices.forget(e.device());
        }
    }

    /** Number of engines running (tests check that nothing is left behind). */
    public static synchronized int running() {
        return ENGINES.size();
    }
}
