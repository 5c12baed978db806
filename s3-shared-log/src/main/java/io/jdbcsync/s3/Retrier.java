package io.jdbcsync.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Runs S3 requests with a bounded number of attempts. The SDK's own retries are off so that
 * every attempt is counted and the bound is ours; a failure ends as an IOException saying what
 * was attempted, how it failed and how often it was tried.
 */
final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final int maxAttempts;
    private final long attemptTimeoutMillis;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final RequestCounter counter;
    private final Redactor redactor;

    Retrier(int maxAttempts, long attemptTimeoutMillis, Backoff backoff, Sleeper sleeper, RequestCounter counter,
            Redactor redactor) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.attemptTimeoutMillis = attemptTimeoutMillis;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.counter = counter;
        this.redactor = redactor;
    }

    /**
     * @param target the object or prefix, as an {@code s3://} address, for messages
     * @throws S3StatusException when S3 answered with an error that is final or kept recurring
     * @throws IOException when S3 could not be reached within the attempts
     */
    <T> T run(RequestKind kind, String target, S3Call<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            counter.record(kind);
            try {
                return call.call();
            } catch (SdkException e) {
                if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
                    throw interrupted(kind, target);
                }
                if (!S3Errors.isTransient(e) || attempt >= maxAttempts) {
                    throw failure(kind, target, e, attempt);
                }
                long delay = backoff.delayMillis(attempt);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("S3 {} {}: {} on attempt {} of {}, retrying in {} ms", kind, target,
                            redactor.clean(S3Errors.summary(e, attemptTimeoutMillis)), attempt, maxAttempts, delay);
                }
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw interrupted(kind, target);
                }
            }
        }
    }

    private IOException failure(RequestKind kind, String target, SdkException e, int attempts) {
        StringBuilder message = new StringBuilder("S3 ").append(kind).append(' ').append(target)
                .append(": ").append(S3Errors.summary(e, attemptTimeoutMillis));
        if (attempts > 1) {
            message.append(" after ").append(attempts).append(" attempts");
        }
        Throwable cause = redactor.leaks(e) ? null : e;
        if (e instanceof SdkServiceException service) {
            String said = S3Errors.serverMessage(service);
            if (said != null && !said.isBlank()) {
                message.append(" (server said: ").append(abbreviate(said)).append(')');
            }
            return new S3StatusException(redactor.clean(message.toString()), service.statusCode(),
                    S3Errors.errorCode(service), attempts, cause);
        }
        return new IOException(redactor.clean(message.toString()), cause);
    }

    private static InterruptedIOException interrupted(RequestKind kind, String target) {
        return new InterruptedIOException("S3 " + kind + " " + target + ": interrupted");
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
