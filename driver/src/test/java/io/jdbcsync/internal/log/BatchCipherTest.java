package io.jdbcsync.internal.log;

import static io.jdbcsync.internal.log.TestBatches.assertSameBatch;
import static io.jdbcsync.internal.log.TestBatches.contains;
import static io.jdbcsync.internal.log.TestBatches.fastCipher;
import static io.jdbcsync.internal.log.TestBatches.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCipherTest {

    @TempDir
    Path dir;

    private DirectorySharedLog log() throws IOException {
        return new DirectorySharedLog(dir.resolve("log"));
    }

    @Test
    void sealsAndOpens() throws Exception {
        BatchCipher cipher = fastCipher(log(), "correct horse");
        byte[] plain = "hello".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = cipher.seal(plain, "progress/d1");

        assertEquals(12 + plain.length + 16, sealed.length);
        assertArrayEquals(plain, cipher.open(sealed, "progress/d1"));
        assertArrayEquals(new byte[0], cipher.open(cipher.seal(new byte[0], "x"), "x"));
        assertFalse(Arrays.equals(sealed, cipher.seal(plain, "progress/d1")), "a fresh IV per seal");
    }

    @Test
    void refusesObjectsUnderAnotherNameOrAltered() throws Exception {
        BatchCipher cipher = fastCipher(log(), "correct horse");
        byte[] sealed = cipher.seal("hello".getBytes(StandardCharsets.UTF_8), "progress/d1");

        CorruptBatchException moved = assertThrows(CorruptBatchException.class, () -> cipher.open(sealed, "progress/d2"));
        assertEquals("cannot decrypt: wrong passphrase, or the object was altered or moved", moved.getMessage());
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 1;
            assertThrows(CorruptBatchException.class, () -> cipher.open(altered, "progress/d1"), "flip at " + i);
        }
        assertThrows(CorruptBatchException.class, () -> cipher.open(new byte[27], "progress/d1"));
    }

    @Test
    void firstOpenWritesKeyInfoAndLaterOpensAdoptIt() throws Exception {
        DirectorySharedLog log = log();
        BatchCipher first = fastCipher(log, "correct horse");

        String keyInfo = new String(log.getObject("keyinfo").orElseThrow(), StandardCharsets.US_ASCII);
        assertTrue(keyInfo.startsWith("jdbc-sync-keyinfo 1\nkind=pbkdf2-hmac-sha256\niterations=1000\nsalt="), keyInfo);
        assertTrue(keyInfo.contains("\ncheck="), keyInfo);

        BatchCipher second = BatchCipher.open(log, "correct horse".toCharArray());
        byte[] sealed = first.seal(new byte[] {1, 2, 3}, "a");
        assertArrayEquals(new byte[] {1, 2, 3}, second.open(sealed, "a"));
        assertEquals(keyInfo, new String(log.getObject("keyinfo").orElseThrow(), StandardCharsets.US_ASCII),
                "the existing key info is kept");
    }

    @Test
    void wrongPassphraseIsReportedWhenOpening() throws Exception {
        DirectorySharedLog log = log();
        fastCipher(log, "correct horse");

        IOException e = assertThrows(IOException.class, () -> fastCipher(log, "battery staple"));
        assertTrue(e.getMessage().startsWith("wrong passphrase for this shared log"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fastCipher(log, ""));
    }

    @Test
    void devicesOpeningAnEmptyLogTogetherAgreeOnOneKey() throws Exception {
        DirectorySharedLog log = log();
        int devices = 6;
        CyclicBarrier start = new CyclicBarrier(devices);
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try {
            List<Future<BatchCipher>> opened = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                Callable<BatchCipher> open = () -> {
                    start.await();
                    return fastCipher(log, "shared secret");
                };
                opened.add(pool.submit(open));
            }
            byte[] sealed = opened.get(0).get().seal(new byte[] {42}, "n");
            for (Future<BatchCipher> cipher : opened) {
                assertArrayEquals(new byte[] {42}, cipher.get().open(sealed, "n"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesKeyInfoItDoesNotUnderstand() throws Exception {
        DirectorySharedLog log = log();
        log.putObject("keyinfo", "jdbc-sync-keyinfo 2\nkind=quantum\n".getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> fastCipher(log, "p"));
        assertEquals("keyinfo format version 2 is newer than this reader supports (1)", e.getMessage());

        log.putObject("keyinfo", "jdbc-sync-keyinfo 1\nkind=quantum\ncheck=00\n".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> fastCipher(log, "p"));
        assertTrue(e.getMessage().contains("unknown key kind 'quantum'"), e.getMessage());

        log.putObject("keyinfo", "hello".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> fastCipher(log, "p"));
        assertTrue(e.getMessage().contains("keyinfo object is malformed"), e.getMessage());

        log.putObject("keyinfo", "jdbc-sync-keyinfo 1\nkind=pbkdf2-hmac-sha256\niterations=0\nsalt=00\ncheck=00\n"
                .getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> fastCipher(log, "p"));
        assertTrue(e.getMessage().contains("iterations 0 out of range"), e.getMessage());
    }

    @Test
    void encryptsBatchesEndToEnd() throws Exception {
        DirectorySharedLog log = log();
        BatchCodec writer = new BatchCodec(fastCipher(log, "correct horse"));
        BatchCodec reader = new BatchCodec(fastCipher(log, "correct horse"));
        Batch batch = sample("d1", 7, 1_000);

        byte[] bytes = writer.encode(batch);

        assertEquals(BatchCodec.FLAG_COMPRESSED | BatchCodec.FLAG_ENCRYPTED, bytes[4]);
        assertSameBatch(batch, reader.decode(bytes, "d1", 7));
        assertFalse(Arrays.equals(bytes, writer.encode(batch)), "random IV per object");
    }

    @Test
    void anEncryptedBatchMovedToAnotherNameIsRefused() throws Exception {
        BatchCodec codec = new BatchCodec(fastCipher(log(), "correct horse"));
        byte[] bytes = codec.encode(sample("d1", 7, 3));

        for (String[] where : new String[][] {{"d1", "8"}, {"d2", "7"}}) {
            CorruptBatchException e = assertThrows(CorruptBatchException.class,
                    () -> codec.decode(bytes, where[0], Long.parseLong(where[1])));
            assertTrue(e.getMessage().endsWith(
                    ": cannot decrypt: wrong passphrase, or the object was altered or moved"), e.getMessage());
        }
    }

    @Test
    void anotherLogsKeyCannotDecrypt() throws Exception {
        BatchCodec writer = new BatchCodec(fastCipher(new DirectorySharedLog(dir.resolve("a")), "one"));
        BatchCodec reader = new BatchCodec(fastCipher(new DirectorySharedLog(dir.resolve("b")), "two"));
        CorruptBatchException e = assertThrows(CorruptBatchException.class,
                () -> reader.decode(writer.encode(sample("d1", 7, 3)), "d1", 7));
        assertEquals("batch d1/00000000000000000007: cannot decrypt: wrong passphrase, or the object was altered"
                + " or moved", e.getMessage());
    }

    @Test
    void noPlaintextSurvivesEncryption() throws Exception {
        byte[] secret = "SECRET-VALUE-123".getBytes(StandardCharsets.UTF_8);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(new LogEntry(i, "SECRET-VALUE-123", Op.INSERT, secret, ("x" + i + "SECRET-VALUE-123").getBytes(StandardCharsets.UTF_8)));
        }
        Batch batch = new Batch("d1", 7, entries);
        byte[] plainPayload = TestBatches.payloadOf(new BatchCodec(null).encode(batch));
        byte[] compressed = TestBatches.zlib(plainPayload);
        assertTrue(contains(plainPayload, secret), "the test data does hold the secret");

        byte[] encrypted = new BatchCodec(fastCipher(log(), "correct horse")).encode(batch);

        assertFalse(contains(encrypted, secret), "secret visible in the encrypted batch");
        for (int i = 0; i + 8 <= compressed.length; i++) {
            assertFalse(contains(encrypted, Arrays.copyOfRange(compressed, i, i + 8)),
                    "compressed plaintext visible in the encrypted batch at " + i);
        }
    }

    @Test
    void keyFileOfRawBytesOrHex() throws Exception {
        DirectorySharedLog log = log();
        byte[] key = new byte[32];
        new Random(5).nextBytes(key);
        Path raw = Files.write(dir.resolve("raw.key"), key);
        Path hex = Files.writeString(dir.resolve("hex.key"), HexFormat.of().formatHex(key).toUpperCase() + "\n");

        BatchCipher fromRaw = BatchCipher.fromKeyFile(log, raw);
        BatchCipher fromHex = BatchCipher.fromKeyFile(log, hex);

        String keyInfo = new String(log.getObject("keyinfo").orElseThrow(), StandardCharsets.US_ASCII);
        assertTrue(keyInfo.startsWith("jdbc-sync-keyinfo 1\nkind=raw-key\ncheck="), keyInfo);
        Batch batch = sample("d1", 7, 10);
        assertSameBatch(batch, new BatchCodec(fromHex).decode(new BatchCodec(fromRaw).encode(batch), "d1", 7));
    }

    @Test
    void wrongOrMismatchedKeyFile() throws Exception {
        DirectorySharedLog keyed = new DirectorySharedLog(dir.resolve("keyed"));
        BatchCipher.fromKeyFile(keyed, Files.write(dir.resolve("one.key"), new byte[32]));
        byte[] other = new byte[32];
        other[0] = 1;
        Path otherKey = Files.write(dir.resolve("two.key"), other);

        IOException e = assertThrows(IOException.class, () -> BatchCipher.fromKeyFile(keyed, otherKey));
        assertTrue(e.getMessage().startsWith("wrong key file for this shared log"), e.getMessage());
        e = assertThrows(IOException.class, () -> fastCipher(keyed, "p"));
        assertTrue(e.getMessage().contains("is encrypted with a key file, not a passphrase"), e.getMessage());

        DirectorySharedLog passphrased = new DirectorySharedLog(dir.resolve("pass"));
        fastCipher(passphrased, "p");
        e = assertThrows(IOException.class, () -> BatchCipher.fromKeyFile(passphrased, otherKey));
        assertTrue(e.getMessage().contains("is encrypted with a passphrase, not a key file"), e.getMessage());

        for (String bad : new String[] {"too short", "zz".repeat(32), "ab".repeat(33)}) {
            Path badKey = Files.writeString(dir.resolve("bad.key"), bad);
            e = assertThrows(IOException.class, () -> BatchCipher.fromKeyFile(keyed, badKey));
            assertTrue(e.getMessage().endsWith("must hold 32 raw bytes or 64 hexadecimal characters"), e.getMessage());
        }
    }

    /** The one test that pays for the real iteration count, and shows the cache sparing a second payment. */
    @Test
    void realIterationCountAndDerivedKeyCache() throws Exception {
        DirectorySharedLog log = log();
        BatchCipher first = BatchCipher.open(log, "real passphrase".toCharArray());
        int derivations = PassphraseKeys.derivations();

        BatchCipher again = BatchCipher.open(log, "real passphrase".toCharArray());

        assertEquals(derivations, PassphraseKeys.derivations(), "the second open reused the derived key");
        String keyInfo = new String(log.getObject("keyinfo").orElseThrow(), StandardCharsets.US_ASCII);
        assertTrue(keyInfo.contains("\niterations=600000\n"), keyInfo);
        assertArrayEquals(new byte[] {9}, again.open(first.seal(new byte[] {9}, "n"), "n"));
        assertThrows(IOException.class, () -> BatchCipher.open(log, "real passphrasf".toCharArray()));
    }
}
