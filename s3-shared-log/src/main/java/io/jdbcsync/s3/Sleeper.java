package io.jdbcsync.s3;

/** Waits between attempts; replaceable so tests need not wait in real time. */
@FunctionalInterface
interface Sleeper {
    void sleep(long millis) throws InterruptedException;
}
