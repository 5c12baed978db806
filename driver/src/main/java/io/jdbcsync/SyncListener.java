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

    /**
     * A sync pushed or pulled another batch. Called on the syncing thread while it holds the sync
     * lock: return quickly, and do not sync or write synced tables from here.
     */
    default void progress(SyncProgress progress) {
    }

    /** A sync failed; background sync retries with backoff. */
    default void syncFailed(Exception cause) {
    }
}
