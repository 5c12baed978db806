package io.jdbcsync.engine;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.device.Device;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One sync engine per open device in this process. */
public final class Engines {
    private static final Map<String, Engine> ENGINES = new ConcurrentHashMap<>();

    private Engines() {
    }

    /** The engine of a device, started on first use; each call counts one more open connection. */
    public static Engine forDevice(Device device, SyncOptions options) {
        Engine e = ENGINES.compute(device.id(), (id, existing) -> existing != null ? existing : new Engine(device, options));
        e.connectionOpened();
        return e;
    }
}
