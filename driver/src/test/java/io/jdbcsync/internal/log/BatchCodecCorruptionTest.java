package io.jdbcsync.internal.log;

import static io.jdbcsync.internal.log.TestBatches.frame;
import static io.jdbcsync.internal.log.TestBatches.frameCompressed;
import static io.jdbcsync.internal.log.TestBatches.frameCompressedFormatOne;
import static io.jdbcsync.internal.log.TestBatches.sample;
import static io.jdbcsync.internal.log.TestBatches.zlib;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a stored batch can be wrong ends in a {@link CorruptBatchException} that says why. */
class BatchCodecCorruptionTest {

    private static final String NAME = "batch d1/00000000000000000007: ";

    private final BatchCodec codec = new BatchCodec(null);
    private final byte[] good = codec.encode(sample("d1", 7, 40));

    @TempDir
    Path dir;

    @Test
    void tooShort() {
        for (int length = 0; length < 9; length++) {
            assertCorrupt(Arrays.copyOf(good, length), "too short (" + length + " bytes) to be a batch");
        }
    }

    @Test
    void wrongMagic() {
        byte[] bytes = good.clone();
        bytes[0] = 'P';
        assertCorrupt(bytes, "not a jdbc-sync batch");
        assertCorrupt("PK\u0003\u0004 some zip file".getBytes(), "not a jdbc-sync batch");
    }

    @Test
    void newerFormatVersion() {
        assertCorrupt(frame(3, 1, new byte[10]), "format version 3 is newer than this reader supports (2)");
        assertCorrupt(frame(0, 1, new byte[10]), "unknown format version 0");
    }

    @Test
    void checksumMismatch() {
        byte[] altered = good.clone();
        altered[good.length / 2] ^= 0x10;
        CorruptBatchException e = assertThrows(CorruptBatchException.class, () -> codec.decode(altered, "d1", 7));
        assertEquals("batch d1/00000000000000000007: checksum mismatch (truncated or altered)", e.getMessage());

        assertCorrupt(Arrays.copyOf(good, good.length - 1), "checksum mismatch (truncated or altered)");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertCorrupt(longer, "checksum mismatch (truncated or altered)");
    }

    @Test
    void unknownFlags() {
        assertCorrupt(frame(BatchCodec.FORMAT_VERSION, 0x05, zlib(new byte[3])), "unknown flags 0x5");
    }

    @Test
    void encryptedButNoPassphrase() throws Exception {
        BatchCipher cipher = TestBatches.fastCipher(new DirectorySharedLog(dir), "pass");
        byte[] encrypted = new BatchCodec(cipher).encode(sample("d1", 7, 3));
        assertCorrupt(encrypted, "batch is encrypted; set sync.passphrase");
    }

    @Test
    void plainButPassphraseConfigured() throws Exception {
        BatchCipher cipher = TestBatches.fastCipher(new DirectorySharedLog(dir), "pass");
        CorruptBatchException e = assertThrows(CorruptBatchException.class,
                () -> new BatchCodec(cipher).decode(good, "d1", 7));
        assertEquals(NAME + "batch is not encrypted but a passphrase is configured", e.getMessage());
    }

    @Test
    void malformedCompressedData() {
        assertCorrupt(frame(BatchCodec.FORMAT_VERSION, 1, new byte[] {0x78, (byte) 0x9C, (byte) 0xFF, (byte) 0xFF, 1, 2, 3}),
                "compressed data is malformed");
        byte[] stream = zlib(TestBatches.payloadOfUnchecked(good));
        assertCorrupt(frame(BatchCodec.FORMAT_VERSION, 1, Arrays.copyOf(stream, stream.length - 5)), "compressed data ends early");
        byte[] padded = Arrays.copyOf(stream, stream.length + 2);
        assertCorrupt(frame(BatchCodec.FORMAT_VERSION, 1, padded), "2 bytes of trailing garbage after the compressed data");
    }

    @Test
    void presetDictionaryIsRefused() {
        Deflater deflater = new Deflater();
        deflater.setDictionary(new byte[] {1, 2, 3});
        deflater.setInput(new byte[100]);
        deflater.finish();
        byte[] out = new byte[200];
        int size = deflater.deflate(out);
        deflater.end();
        assertCorrupt(frame(BatchCodec.FORMAT_VERSION, 1, Arrays.copyOf(out, size)), "preset dictionary");
    }

    @Test
    void swappedToAnotherSequenceOrDevice() {
        CorruptBatchException e = assertThrows(CorruptBatchException.class, () -> codec.decode(good, "d1", 8));
        assertEquals("batch d1/00000000000000000008: content belongs to device d1 sequence 7: swapped or replayed",
                e.getMessage());
        e = assertThrows(CorruptBatchException.class, () -> codec.decode(good, "d2", 7));
        assertEquals("batch d2/00000000000000000007: content belongs to device d1 sequence 7: swapped or replayed",
                e.getMessage());
    }

    @Test
    void trailingGarbageAfterTheLastEntry() {
        byte[] payload = TestBatches.payloadOfUnchecked(good);
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertCorrupt(frameCompressed(longer), "1 bytes of trailing garbage after the last entry");
    }

    @Test
    void payloadThatInflatesBeyondTheLimit() {
        BatchCodec small = new BatchCodec(null, 1024 * 1024);
        byte[] bomb = frameCompressed(new byte[2 * 1024 * 1024]);
        assertTrue(bomb.length < 10_000);
        CorruptBatchException e = assertThrows(CorruptBatchException.class, () -> small.decode(bomb, "d1", 7));
        assertTrue(e.getMessage().contains("payload inflates beyond 1048576 bytes"), e.getMessage());

        byte[] plainBomb = frame(BatchCodec.FORMAT_VERSION, 0, new byte[2 * 1024 * 1024]);
        e = assertThrows(CorruptBatchException.class, () -> small.decode(plainBomb, "d1", 7));
        assertTrue(e.getMessage().contains("payload exceeds 1048576 bytes"), e.getMessage());
    }

    @Test
    void malformedSeenVersions() {
        assertCorrupt(frameCompressed(payload(w -> {
            w.writeString("d1");
            w.writeVarint(7);
            w.writeVarint(1);
            w.writeString("t");
            w.writeVarint(0);
            w.writeVarint(1);
            w.writeLong(1);
            w.writeVarint(0);
            w.writeByte('U');
            w.writeBytes(new byte[] {1});
            w.writeBytes(new byte[] {1});
            w.writeVarint(1);
            w.writeVarint(3);
            w.writeVarint(0);
        })), "malformed entry 0: seen device 1 outside the dictionary of 0");
    }

    /** Hand-built payloads of format 1: what older devices write is still checked field by field. */
    @Test
    void malformedPayloadFields() {
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            w.writeVarint(7);
            w.writeVarint(1);
            w.writeString("t");
            w.writeVarint(1);
            w.writeLong(1);
            w.writeVarint(0);
            w.writeByte('X');
            w.writeBytes(new byte[0]);
            w.writeBytes(new byte[0]);
        })), "unknown op code 88");
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            w.writeVarint(7);
            w.writeVarint(1);
            w.writeString("t");
            w.writeVarint(1);
            w.writeLong(1);
            w.writeVarint(1);
            w.writeByte('I');
            w.writeBytes(new byte[0]);
            w.writeBytes(new byte[0]);
        })), "table index 1 outside the dictionary of 1");
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            w.writeVarint(7);
            w.writeVarint(2);
            w.writeString("t");
            w.writeString("t");
            w.writeVarint(0);
        })), "'t' appears twice");
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            w.writeVarint(7);
            w.writeVarint(1);
            w.writeBytes(new byte[] {(byte) 0xC3, 0x28});
            w.writeVarint(0);
        })), "malformed table name: not valid UTF-8");
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            w.writeVarint(7);
            w.writeVarint(0);
            w.writeVarint(1_000_000_000L);
        })), "malformed entry count: 1000000000 does not fit");
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            w.writeByte(0x87);
            w.writeByte(0x00);
        })), "malformed sequence: overlong number");
        assertCorrupt(frameCompressedFormatOne(payload(w -> {
            w.writeString("d1");
            for (int i = 0; i < 10; i++) {
                w.writeByte(0xFF);
            }
        })), "malformed sequence: number exceeds 64 bits");
        assertCorrupt(frameCompressedFormatOne(payload(w -> w.writeVarint(5))), "malformed device id length: 5 does not fit");
        assertCorrupt(frameCompressed(new byte[0]), "payload ends inside device id length");
    }

    /** Random damage anywhere in a stored batch is always caught, whatever its position. */
    @Test
    void fuzzFlipsAndTruncationsOfTheStoredObject() throws Exception {
        BatchCipher cipher = TestBatches.fastCipher(new DirectorySharedLog(dir), "pass");
        BatchCodec encrypting = new BatchCodec(cipher);
        byte[] encrypted = encrypting.encode(sample("d1", 7, 40));

        for (BatchCodec reader : new BatchCodec[] {codec, encrypting}) {
            byte[] sample = reader == codec ? good : encrypted;
            for (int position = 0; position < sample.length; position++) {
                for (int mask : new int[] {0x01, 0x80, 0xFF, 0x5A}) {
                    byte[] damaged = sample.clone();
                    damaged[position] ^= (byte) mask;
                    expectCorrupt(reader, damaged, "flip 0x" + Integer.toHexString(mask) + " at " + position);
                }
                expectCorrupt(reader, Arrays.copyOf(sample, position), "truncated to " + position);
            }
        }
    }

    /**
     * The checksum catches accidents, not a crafted object: behind a valid checksum, damaged
     * payloads and compressed streams must still fail cleanly (or decode), never throw anything else.
     */
    @Test
    void fuzzPayloadsAndCompressedStreamsBehindAValidChecksum() {
        byte[] payload = TestBatches.payloadOfUnchecked(good);
        byte[] stream = zlib(payload);
        Random random = new Random(42);
        for (int position = 0; position < payload.length; position++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] damaged = payload.clone();
                damaged[position] ^= (byte) mask;
                expectCorruptOrDecodes(frameCompressed(damaged), "payload flip at " + position);
                expectCorruptOrDecodes(frame(BatchCodec.FORMAT_VERSION, 0, damaged), "plain payload flip at " + position);
            }
            expectCorruptOrDecodes(frameCompressed(Arrays.copyOf(payload, position)), "payload cut at " + position);
        }
        for (int position = 0; position < stream.length; position++) {
            byte[] damaged = stream.clone();
            damaged[position] ^= (byte) (1 + random.nextInt(255));
            expectCorruptOrDecodes(frame(BatchCodec.FORMAT_VERSION, 1, damaged), "stream flip at " + position);
            expectCorruptOrDecodes(frame(BatchCodec.FORMAT_VERSION, 1, Arrays.copyOf(stream, position)), "stream cut at " + position);
        }
        for (int round = 0; round < 20_000; round++) {
            byte[] damaged = payload.clone();
            int flips = 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            expectCorruptOrDecodes(frame(BatchCodec.FORMAT_VERSION, 0, damaged), "random payload damage, round " + round);
        }
        for (int round = 0; round < 2_000; round++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            expectCorruptOrDecodes(frame(BatchCodec.FORMAT_VERSION, random.nextInt(2), noise), "random body, round " + round);
        }
    }

    private void expectCorrupt(BatchCodec reader, byte[] bytes, String what) {
        try {
            reader.decode(bytes, "d1", 7);
            fail(what + ": decoded without error");
        } catch (CorruptBatchException expected) {
            assertTrue(expected.getMessage().startsWith(NAME), what + ": " + expected.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    private void expectCorruptOrDecodes(byte[] bytes, String what) {
        try {
            codec.decode(bytes, "d1", 7);
        } catch (CorruptBatchException expected) {
            assertTrue(expected.getMessage().startsWith(NAME), what + ": " + expected.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    private void assertCorrupt(byte[] bytes, String reason) {
        CorruptBatchException e = assertThrows(CorruptBatchException.class, () -> codec.decode(bytes, "d1", 7));
        assertTrue(e.getMessage().startsWith(NAME) && e.getMessage().contains(reason),
                "expected '" + reason + "' in: " + e.getMessage());
    }

    private static byte[] payload(java.util.function.Consumer<BinaryWriter> fields) {
        BinaryWriter writer = new BinaryWriter(64);
        fields.accept(writer);
        return writer.toByteArray();
    }
}
