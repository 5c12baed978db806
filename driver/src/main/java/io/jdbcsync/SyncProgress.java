package io.jdbcsync;

/**
 * Where a running sync is, told to {@link SyncListener#progress} after every batch it pushes or
 * pulls (a first push or pull of a large backlog takes seconds).
 *
 * @param phase        pushing this device's changes, or pulling another device's
 * @param device       the device whose batches move: this device when pushing, the other one when pulling
 * @param changes      changes moved so far in this phase of this sync
 * @param totalChanges changes this phase will move, when known ({@code -1} when pulling: the shared log
 *                     says how many batches there are, not how many changes they hold)
 * @param batches      batches moved so far in this phase of this sync
 */
public record SyncProgress(Phase phase, String device, long changes, long totalChanges, long batches) {

    /** The two halves of a sync. */
    public enum Phase { PUSH, PULL }
}
