package io.jdbcsync.s3;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactorTest {

    @Test
    void aOneLetterKeyDoesNotGarbleTheMessage() {
        Redactor r = new Redactor("a", "b");
        String msg = "S3 GET s3://bucket/x/objects/keyinfo: connection failed";
        assertEquals(msg, r.clean(msg));
        assertEquals("access key [redacted] refused, secret [redacted]", r.clean("access key a refused, secret b"));
        assertTrue(r.leaks(new IllegalStateException("key=a")));
        assertFalse(r.leaks(new IllegalStateException(msg)));
    }

    @Test
    void longSecretsAreMaskedWhereverTheyAppear() {
        Redactor r = new Redactor("AKIAEXAMPLEKEY1", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertEquals("x[redacted]y [redacted]", r.clean("xAKIAEXAMPLEKEY1y wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }
}
