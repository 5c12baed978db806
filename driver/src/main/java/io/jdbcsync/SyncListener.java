package io.jdbcsync;

import java.util.Set;

/** Hears about sync work, e.g. to refresh a UI. Called on the syncing thread: return quickly. */
public interface SyncListener {

    /** A sync finished (also when it found nothing to do). */
    default void syncFinished(SyncClient.SyncResult result) {
    }

    /** Changes from other devices were written to these tables. */
    default void remoteChangesApplied(Set<String> tables) {
    }

    /** A sync failed; background sync retries with backoff. */
    default void syncFailed(Exception cause) {
    }
}
