package io.jdbcsync.internal.log;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Turns a passphrase into a 256-bit key with PBKDF2-HMAC-SHA256 (the passphrase as UTF-8).
 * Derivation is deliberately slow, so recent results are kept in a small process-wide cache:
 * reconnecting with the same passphrase does not pay it again.
 */
final class PassphraseKeys {

    private static final int CACHE_CAPACITY = 16;
    private static final int KEY_BITS = 256;

    /** Keyed by a digest of (iterations, salt, passphrase) so the passphrase itself is not retained. */
    private static final Map<String, byte[]> CACHE = new LinkedHashMap<>(CACHE_CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHE_CAPACITY;
        }
    };

    private static final AtomicInteger DERIVATIONS = new AtomicInteger();

    private PassphraseKeys() {
    }

    static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        String cacheKey = cacheKey(passphrase, salt, iterations);
        synchronized (CACHE) {
            byte[] cached = CACHE.get(cacheKey);
            if (cached != null) {
                return cached.clone();
            }
        }
        // Derived outside the lock: one slow derivation must not hold up another passphrase.
        byte[] key = pbkdf2(passphrase, salt, iterations);
        DERIVATIONS.incrementAndGet();
        synchronized (CACHE) {
            CACHE.put(cacheKey, key.clone());
        }
        return key;
    }

    /** How many derivations actually ran (cache misses); lets tests see the cache work. */
    static int derivations() {
        return DERIVATIONS.get();
    }

    private static byte[] pbkdf2(char[] passphrase, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JRE", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String cacheKey(char[] passphrase, byte[] salt, int iterations) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JRE", e);
        }
        digest.update(ByteBuffer.allocate(8).putInt(iterations).putInt(salt.length).array());
        digest.update(salt);
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        digest.update(utf8.duplicate());
        if (utf8.hasArray()) {
            Arrays.fill(utf8.array(), (byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
