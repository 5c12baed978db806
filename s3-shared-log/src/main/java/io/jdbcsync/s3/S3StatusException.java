package io.jdbcsync.s3;

import java.io.IOException;

/**
 * S3 answered with an error status. Carries the status and error code so that callers can tell
 * "not found" or "already exists" from real failures; the message is already free of secrets.
 */
final class S3StatusException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final int attempts;

    S3StatusException(String message, int status, String errorCode, int attempts, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.attempts = attempts;
    }

    int status() {
        return status;
    }

    /** The S3 error code such as {@code NoSuchKey}, or null when the response had no body. */
    String errorCode() {
        return errorCode;
    }

    /** How many attempts the request took, this failing one included. */
    int attempts() {
        return attempts;
    }

    boolean isNoSuchKey() {
        // HEAD-style responses carry no body and hence no code; NoSuchBucket is a real failure.
        return status == 404 && (errorCode == null || "NoSuchKey".equals(errorCode));
    }

    boolean isPreconditionFailed() {
        return status == 412;
    }

    boolean isNotImplemented() {
        return status == 501;
    }
}
