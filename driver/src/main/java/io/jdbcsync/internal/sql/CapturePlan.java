package io.jdbcsync.internal.sql;

/**
 * What the capture layer decided for one SQL text, cached on its {@link Analysis}: valid while
 * the schema has the version it was made for.
 */
public interface CapturePlan {
    long schemaVersion();
}
