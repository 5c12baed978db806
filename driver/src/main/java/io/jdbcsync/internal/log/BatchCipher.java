package io.jdbcsync.internal.log;

import io.jdbcsync.spi.SharedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end encryption of what devices put in the shared log, so that the storage provider sees
 * only ciphertext: AES-256-GCM, a fresh random 12-byte IV per object, 128-bit tag.
 *
 * <p>Sealed form: IV (12 bytes), then ciphertext, then tag (16 bytes). Every seal is bound to a
 * name through the GCM associated data, so an object moved to another name fails to open: for a
 * batch it is the UTF-8 of {@code device + "/" + sequence} (decimal, unpadded); for a small named
 * object, its object name.
 *
 * <p>The key comes from a passphrase (PBKDF2-HMAC-SHA256, 600,000 iterations,
 * random 16-byte salt) or from a key file (32 raw bytes used as the key directly). The shared
 * log's {@code keyinfo} object (format documented on the package-private {@code KeyInfo}) records which, the salt and iteration count,
 * and a key check value, so a wrong secret is reported once, clearly, when the cipher is opened.
 * The first device to open an empty log creates {@code keyinfo}; every later one adopts it.
 *
 * <p>Thread-safe.
 */
public final class BatchCipher {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCipher.class);

    /** For new logs; a log keeps the count it was created with, so this can be raised later. */
    static final int PBKDF2_ITERATIONS = 600_000;
    static final String KEY_INFO_OBJECT = "keyinfo";

    private static final int KEY_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final byte[] CHECK_PLAINTEXT = "jdbc-sync key check".getBytes(StandardCharsets.US_ASCII);
    private static final String CHECK_ASSOCIATED = "keyinfo-check";
    private static final int KEY_INFO_ATTEMPTS = 5;
    private static final String DECRYPT_FAILED =
            "cannot decrypt: wrong passphrase, or the object was altered or moved";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** Takes the key bytes and wipes the caller's copy: the key then lives in one place only. */
    private BatchCipher(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        Arrays.fill(keyBytes, (byte) 0);
    }

    /**
     * The cipher for {@code log} keyed by {@code passphrase}: reads the log's {@code keyinfo}, or
     * creates it if this is the first device to use encryption on this log.
     *
     * @throws IOException "wrong passphrase for this shared log" when the key check fails; or when
     *     the log is keyed by a key file; or when the log cannot be reached
     */
    public static BatchCipher open(SharedLog log, char[] passphrase) throws IOException {
        return open(log, passphrase, PBKDF2_ITERATIONS);
    }

    /** As {@link #open(SharedLog, char[])}, creating new key info with {@code newIterations}. */
    static BatchCipher open(SharedLog log, char[] passphrase, int newIterations) throws IOException {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("the encryption passphrase must not be empty");
        }
        for (int attempt = 0; attempt < KEY_INFO_ATTEMPTS; attempt++) {
            Optional<byte[]> stored = log.getObject(KEY_INFO_OBJECT);
            if (stored.isPresent()) {
                KeyInfo info = KeyInfo.parse(stored.get());
                if (!info.usesPassphrase()) {
                    throw new IOException("the shared log " + log.describe()
                            + " is encrypted with a key file, not a passphrase");
                }
                BatchCipher cipher = new BatchCipher(PassphraseKeys.derive(passphrase, info.salt(), info.iterations()));
                cipher.verify(info, "wrong passphrase for this shared log (" + log.describe() + ")");
                return cipher;
            }
            byte[] salt = new byte[SALT_BYTES];
            RANDOM.nextBytes(salt);
            BatchCipher cipher = new BatchCipher(PassphraseKeys.derive(passphrase, salt, newIterations));
            KeyInfo created = KeyInfo.forPassphrase(newIterations, salt, cipher.keyCheck());
            if (log.putObjectIfAbsent(KEY_INFO_OBJECT, created.toBytes())) {
                LOG.info("Created passphrase key info for the shared log {}", log.describe());
                return cipher;
            }
            // Another device created it first; adopt theirs on the next round.
        }
        throw new IOException("cannot settle the keyinfo object of " + log.describe()
                + ": it keeps appearing and disappearing");
    }

    /**
     * The cipher for {@code log} keyed by a key file holding 32 raw bytes or 64 hexadecimal
     * characters (surrounding whitespace ignored). The key is used as is, without PBKDF2.
     */
    public static BatchCipher fromKeyFile(SharedLog log, Path keyFile) throws IOException {
        byte[] keyBytes = readKeyFile(keyFile);
        try {
            BatchCipher cipher = new BatchCipher(keyBytes);
            for (int attempt = 0; attempt < KEY_INFO_ATTEMPTS; attempt++) {
                Optional<byte[]> stored = log.getObject(KEY_INFO_OBJECT);
                if (stored.isPresent()) {
                    KeyInfo info = KeyInfo.parse(stored.get());
                    if (info.usesPassphrase()) {
                        throw new IOException("the shared log " + log.describe()
                                + " is encrypted with a passphrase, not a key file");
                    }
                    cipher.verify(info, "wrong key file for this shared log (" + log.describe() + ")");
                    return cipher;
                }
                if (log.putObjectIfAbsent(KEY_INFO_OBJECT, KeyInfo.forRawKey(cipher.keyCheck()).toBytes())) {
                    LOG.info("Created key-file key info for the shared log {}", log.describe());
                    return cipher;
                }
            }
            throw new IOException("cannot settle the keyinfo object of " + log.describe()
                    + ": it keeps appearing and disappearing");
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    /** Encrypts {@code plain}, bound to the name {@code associated}. */
    public byte[] seal(byte[] plain, String associated) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = new byte[IV_BYTES + cipher.getOutputSize(plain.length)];
            System.arraycopy(iv, 0, sealed, 0, IV_BYTES);
            int written = cipher.doFinal(plain, 0, plain.length, sealed, IV_BYTES);
            return written == sealed.length - IV_BYTES ? sealed : Arrays.copyOf(sealed, IV_BYTES + written);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not usable in this JRE", e);
        }
    }

    /**
     * Decrypts what {@link #seal} produced under the same name.
     *
     * @throws CorruptBatchException when the key is wrong, or the object was altered or sealed
     *     under another name
     */
    public byte[] open(byte[] sealed, String associated) throws CorruptBatchException {
        if (sealed.length < IV_BYTES + TAG_BYTES) {
            throw new CorruptBatchException(DECRYPT_FAILED + " (too short to be encrypted)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, 0, IV_BYTES));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new CorruptBatchException(DECRYPT_FAILED, e);
        } catch (GeneralSecurityException e) {
            throw new CorruptBatchException(DECRYPT_FAILED + " (" + e.getMessage() + ")", e);
        }
    }

    /** The associated data that binds a batch to its name. */
    static String batchAssociatedData(String device, long sequence) {
        return device + "/" + sequence;
    }

    private byte[] keyCheck() {
        return seal(CHECK_PLAINTEXT, CHECK_ASSOCIATED);
    }

    private void verify(KeyInfo info, String wrongKeyMessage) throws IOException {
        try {
            byte[] plain = open(info.check(), CHECK_ASSOCIATED);
            if (MessageDigest.isEqual(plain, CHECK_PLAINTEXT)) {
                return;
            }
        } catch (CorruptBatchException e) {
            throw new IOException(wrongKeyMessage, e);
        }
        throw new IOException(wrongKeyMessage);
    }

    private static byte[] readKeyFile(Path keyFile) throws IOException {
        long size = Files.size(keyFile);
        if (size == KEY_BYTES) {
            return Files.readAllBytes(keyFile);
        }
        if (size <= 256) {
            byte[] content = Files.readAllBytes(keyFile);
            String text = new String(content, StandardCharsets.US_ASCII).strip();
            Arrays.fill(content, (byte) 0);
            if (text.length() == KEY_BYTES * 2 && HexFormat.isHexDigit(text.charAt(0))) {
                try {
                    return HexFormat.of().parseHex(text);
                } catch (IllegalArgumentException e) {
                    // reported below, without echoing key material
                }
            }
        }
        throw new IOException("the key file " + keyFile + " must hold 32 raw bytes or 64 hexadecimal characters");
    }
}
