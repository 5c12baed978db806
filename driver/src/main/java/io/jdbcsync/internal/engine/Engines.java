package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.Devices;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One sync engine per open device in this process, shared by its connections; it stops (thread,
 * connection, shared log) when the last of them closes. Stopping happens outside the process-wide
 * lock, so connects to other devices never wait for it; a connect to the same device waits until
 * the old engine has stopped, so two engines never sync one device at once.
 */
public final class Engines {
    private static final Map<String, Engine> ENGINES = new HashMap<>();
    private static final Map<String, Engine> STOPPING = new HashMap<>();

    private Engines() {
    }

    /**
     * The engine of a device; each call counts one more open connection.
     *
     * @throws SQLException when the device is already open in this process with other options
     */
    public static Engine forDevice(Device device, SyncOptions options, String underlyingUrl, Properties info)
            throws SQLException {
        synchronized (Engines.class) {
            boolean interrupted = false;
            while (STOPPING.containsKey(device.id())) {
                try {
                    Engines.class.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Engine e = ENGINES.get(device.id());
            if (e != null) {
                OptionConflicts.check(e.options(), options, device.id());
            } else {
                e = new Engine(device, options, underlyingUrl, info);
                ENGINES.put(device.id(), e);
            }
            e.opened++;
            return e;
        }
    }

    static void closed(Engine e) {
        synchronized (Engines.class) {
            if (--e.opened != 0 || ENGINES.get(e.deviceId0()) != e) {
                return;
            }
            ENGINES.remove(e.deviceId0());
            STOPPING.put(e.deviceId0(), e);
        }
        try {
            e.shutdown();
        } finally {
            synchronized (Engines.class) {
                STOPPING.remove(e.deviceId0());
                // A connect that came meanwhile reuses the device (and its clock) for its new engine.
                if (!ENGINES.containsKey(e.deviceId0())) {
                    Devices.forget(e.device());
                }
                Engines.class.notifyAll();
            }
        }
    }

    /** Number of engines running or stopping (tests check that nothing is left behind). */
    public static synchronized int running() {
        return ENGINES.size() + STOPPING.size();
    }
}
