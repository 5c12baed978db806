package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncOptions;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A device open in this process syncs with the options of its first connection. A later
 * connection that asks for something else is refused, rather than silently given the first one's.
 */
final class OptionConflicts {
    /** Options each connection may set for itself. */
    private static final Set<String> PER_CONNECTION = Set.of("sync.on-uncapturable");

    private OptionConflicts() {
    }

    static void check(SyncOptions open, SyncOptions requested, String deviceId) throws SQLException {
        Set<String> names = new TreeSet<>(SyncOptions.documented().keySet());
        names.addAll(open.given().keySet());
        names.addAll(requested.given().keySet());
        for (String name : names) {
            if (PER_CONNECTION.contains(name) || Objects.equals(open.get(name), requested.get(name))) {
                continue;
            }
            boolean secret = SyncOptions.isSecret(name);
            throw new SQLException("jdbc-sync option " + name + (secret ? " differs from" : " = '" + requested.get(name)
                    + "' conflicts with '" + open.get(name) + "',") + " the value device " + deviceId
                    + " is already open with in this process. Connections to one database share its sync engine:"
                    + " give every connection the same sync options, or close the others first", "HY024");
        }
    }
}
