package io.jdbcsync.internal.log;

import java.io.IOException;

/**
 * A batch (or another encrypted object) read from the shared log cannot be trusted: it is damaged,
 * was altered, was moved to another name, or needs a key this reader does not have. The message
 * names the object and the reason.
 */
public class CorruptBatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptBatchException(String message) {
        super(message);
    }

    public CorruptBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
