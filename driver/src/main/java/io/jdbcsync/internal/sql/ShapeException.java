package io.jdbcsync.internal.sql;

/** A statement that parsed but whose shape the capture cannot handle. */
final class ShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient String table;

    ShapeException(String table, String message) {
        super(message);
        this.table = table;
    }
}
