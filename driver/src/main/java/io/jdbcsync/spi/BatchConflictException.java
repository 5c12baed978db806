package io.jdbcsync.spi;

import java.io.IOException;

/**
 * A create-only write found a different object under its name: two writers use the same device
 * identity. Nothing was overwritten; sync for this device stops until an operator resolves it.
 */
public class BatchConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    public BatchConflictException(String message) {
        super(message);
    }
}
