package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The retry loop on its own: classification, bounds, interruption, secrets. */
class RetrierTest {
    private final RequestCounter counter = new RequestCounter();

    private Retrier retrier(int attempts, Sleeper sleeper) {
        return new Retrier(attempts, 1_000, new Backoff(100, 5_000, bound -> bound), sleeper, counter,
                new Redactor("AKIASECRETACCESS", "very/secret+key"));
    }

    private static SdkClientException refused() {
        return SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused"));
    }

    @Test
    void connectionErrorsAreRetriedUntilSuccess() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String result = retrier(6, millis -> { }).run(RequestKind.GET, "s3://b/k", () -> {
            if (calls.incrementAndGet() < 3) {
                throw refused();
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(3L, counter.snapshot().get("GET"));
    }

    @Test
    void clientErrorsWithoutIoCauseAreFinal() {
        IOException e = assertThrows(IOException.class, () -> retrier(6, millis -> { })
                .run(RequestKind.PUT, "s3://b/k", () -> {
                    throw SdkClientException.create("Unable to marshall request");
                }));
        assertEquals("S3 PUT s3://b/k: SdkClientException: Unable to marshall request", e.getMessage());
        assertEquals(1L, counter.snapshot().get("PUT"));
    }

    @Test
    void interruptionStopsRetrying() {
        Retrier retrier = retrier(6, millis -> {
            throw new InterruptedException();
        });
        assertThrows(InterruptedIOException.class, () -> retrier.run(RequestKind.LIST, "s3://b/", () -> {
            throw refused();
        }));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(1L, counter.snapshot().get("LIST"));
    }

    @Test
    void secretsInSdkMessagesAreMaskedAndTheCauseDropped() {
        SdkClientException leaky = SdkClientException.create("bad key very/secret+key for AKIASECRETACCESS",
                new ConnectException("refused for AKIASECRETACCESS"));
        IOException e = assertThrows(IOException.class, () -> retrier(2, millis -> { })
                .run(RequestKind.DELETE, "s3://b/k", () -> {
                    throw leaky;
                }));
        assertFalse(e.getMessage().contains("AKIASECRETACCESS"), e.getMessage());
        assertTrue(e.getMessage().contains(Redactor.MASK), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void cleanCausesAreKept() {
        SdkClientException clean = refused();
        IOException e = assertThrows(IOException.class, () -> retrier(1, millis -> { })
                .run(RequestKind.HEAD, "s3://b/k", () -> {
                    throw clean;
                }));
        assertSame(clean, e.getCause());
        assertEquals("S3 HEAD s3://b/k: connection failed (ConnectException: Connection refused)", e.getMessage());
    }
}
