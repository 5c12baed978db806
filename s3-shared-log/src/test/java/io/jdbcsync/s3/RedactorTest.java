package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Secrets leave no trace in messages, and messages stay readable whatever the secrets are. */
class RedactorTest {

    @Test
    void aLongSecretIsMaskedWhereverItAppears() {
        Redactor r = new Redactor("AKIASECRETACCESS", "very/secret+key");
        assertEquals("key=[redacted] sig=x[redacted]y", r.clean("key=AKIASECRETACCESS sig=xvery/secret+keyy"));
    }

    @Test
    void aOneLetterSecretDoesNotGarbleTheMessage() {
        Redactor r = new Redactor("a", "k");
        assertEquals("Access Denied for access key [redacted] with secret [redacted]",
                r.clean("Access Denied for access key a with secret k"));
    }

    @Test
    void aShortSecretIsMaskedAsAWholeTokenOnly() {
        Redactor r = new Redactor("abc1");
        assertEquals("abc12 xabc1 [redacted]/[redacted]=", r.clean("abc12 xabc1 abc1/abc1="));
    }

    @Test
    void leaksFollowsTheSameRule() {
        Redactor r = new Redactor("a");
        assertFalse(r.leaks(new IOException("Bad Gateway from the store")));
        assertTrue(new Redactor("ab").leaks(new IOException("wrapped", new IOException("key ab refused"))));
    }
}
