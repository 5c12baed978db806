package io.jdbcsync.internal.log;

import static io.jdbcsync.internal.log.TestBatches.assertSameBatch;
import static io.jdbcsync.internal.log.TestBatches.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    private final BatchCodec codec = new BatchCodec(null);

    @Test
    void roundTripsUnicodeTableNamesAndEveryOp() throws Exception {
        List<LogEntry> entries = List.of(
                new LogEntry(Long.MIN_VALUE, "café", Op.INSERT, "é".getBytes(StandardCharsets.UTF_8), new byte[] {0, -1, 127}),
                new LogEntry(-1L, "表格", Op.UPDATE, new byte[] {7}, "données".getBytes(StandardCharsets.UTF_8)),
                new LogEntry(0L, "emoji 😀 \"quoted\"", Op.DELETE, new byte[0], new byte[0]),
                new LogEntry(Long.MAX_VALUE, "café", Op.UPDATE, new byte[300], new byte[70_000]),
                new LogEntry(5L, "", Op.INSERT, new byte[] {1}, new byte[] {2}));
        Batch batch = new Batch("device_A-1", 123_456_789_012L, entries);

        assertSameBatch(batch, codec.decode(codec.encode(batch), "device_A-1", 123_456_789_012L));
    }

    @Test
    void roundTripsAnEmptyBatch() throws Exception {
        Batch empty = new Batch("d1", 0, List.of());
        byte[] bytes = codec.encode(empty);
        assertSameBatch(empty, codec.decode(bytes, "d1", 0));
        assertTrue(bytes.length < 32, "an empty batch is tiny: " + bytes.length);
    }

    @Test
    void roundTripsTheLargestSequence() throws Exception {
        Batch batch = sample("d1", Long.MAX_VALUE, 3);
        assertSameBatch(batch, codec.decode(codec.encode(batch), "d1", Long.MAX_VALUE));
    }

    @Test
    void roundTripsTenThousandEntries() throws Exception {
        Batch batch = sample("d1", 7, 10_000);
        assertSameBatch(batch, codec.decode(codec.encode(batch), "d1", 7));
    }

    @Test
    void roundTripsLargeIncompressibleData() throws Exception {
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(data);
        Batch batch = TestBatches.withData("d1", 7, "blobs", data);

        byte[] bytes = codec.encode(batch);

        assertSameBatch(batch, codec.decode(bytes, "d1", 7));
        assertTrue(bytes.length < data.length + 4096, "incompressible data grows only a little: " + bytes.length);
    }

    @Test
    void encodingIsDeterministic() {
        Batch batch = sample("d1", 7, 500);
        byte[] first = codec.encode(batch);
        byte[] again = new BatchCodec(null).encode(sample("d1", 7, 500));
        assertArrayEquals(first, again);
    }

    /** Large payloads are compressed at the fast level: still read back, and still the same bytes each time. */
    @Test
    void largeBatchesRoundTripAndEncodeDeterministically() throws Exception {
        Batch batch = sample("d1", 7, 5_000);
        byte[] bytes = codec.encode(batch);
        assertTrue(TestBatches.payloadOf(bytes).length >= BatchCodec.FAST_FROM_BYTES, "a payload compressed at the fast level");
        assertSameBatch(batch, codec.decode(bytes, "d1", 7));
        assertArrayEquals(bytes, new BatchCodec(null).encode(sample("d1", 7, 5_000)));
    }

    @Test
    void compressesRepetitiveDataWell() throws Exception {
        Batch batch = sample("d1", 7, 5_000);
        long raw = 0;
        for (LogEntry entry : batch.entries()) {
            raw += 8 + entry.table().length() + 1 + entry.key().length + entry.data().length;
        }

        byte[] bytes = codec.encode(batch);

        assertTrue(bytes.length * 4 < raw, "encoded " + bytes.length + " bytes for " + raw + " raw bytes");
        assertTrue(TestBatches.payloadOf(bytes).length < raw, "the table dictionary keeps the payload under the raw size");
    }

    /** Decodes the object with nothing but the format documentation, to keep the two in step. */
    @Test
    void layoutIsAsDocumented() throws Exception {
        Batch batch = new Batch("d1", 300, List.of(
                new LogEntry(0x0102030405060708L, "t", Op.INSERT, new byte[] {9}, new byte[] {8, 7}),
                new LogEntry(1L, "é", Op.DELETE, new byte[] {6}, new byte[0]),
                new LogEntry(2L, "t", Op.UPDATE, new byte[0], new byte[] {5},
                        Arrays.asList(new LogEntry.Seen(1L, "d1"), new LogEntry.Seen(3L, "x"), null))));

        byte[] bytes = codec.encode(batch);

        assertArrayEquals(new byte[] {'J', 'S', 'B', 2, 1}, Arrays.copyOf(bytes, 5));
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = (bytes[bytes.length - 4] & 0xFF) << 24 | (bytes[bytes.length - 3] & 0xFF) << 16
                | (bytes[bytes.length - 2] & 0xFF) << 8 | (bytes[bytes.length - 1] & 0xFF);
        assertEquals((int) crc.getValue(), stored);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {2, 'd', '1'});                   // device
        expected.writeBytes(new byte[] {(byte) 0xAC, 0x02});            // sequence 300 as varint
        expected.writeBytes(new byte[] {2, 1, 't', 2, (byte) 0xC3, (byte) 0xA9}); // tables "t", "é"
        expected.writeBytes(new byte[] {1, 1, 'x'});                    // devices named by seen versions: "x"
        expected.writeBytes(new byte[] {3});                            // entry count
        expected.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 'I', 1, 9, 2, 8, 7});
        expected.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 1, 'D', 1, 6, 0});
        expected.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 'U', 0, 1, 5});
        // 3 seen: own device at 2 - 1 (zigzag 2), device 0 of the dictionary at 2 + 1 (zigzag 1), unknown
        expected.writeBytes(new byte[] {3, 1, 2, 2, 1, 0});
        assertArrayEquals(expected.toByteArray(), TestBatches.payloadOf(bytes));
        assertEquals(batch.entries().get(2).seen(), codec.decode(bytes, "d1", 300).entries().get(2).seen());
    }

    /**
     * What seen versions cost in the log: 5,000 one-column updates whose column another device
     * last wrote 1 to 11 minutes earlier (random values and gaps), compressed, with and without.
     */
    @Test
    void seenVersionsCostAFewBytesPerUpdatedColumn() {
        long base = 1_764_550_000_000L << 16;
        List<LogEntry> plain = new java.util.ArrayList<>();
        List<LogEntry> seen = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 5000; i++) {
            long hlc = base + i * 3L;
            LogEntry e = new LogEntry(hlc, "item", Op.UPDATE, io.jdbcsync.internal.value.ValueCodec.encodeKey((long) i * 7919),
                    io.jdbcsync.internal.value.ValueCodec.encodeRow(List.of("name"), List.of("name-" + r.nextInt(1_000_000))));
            plain.add(e);
            long written = hlc - ((long) (60_000 + r.nextInt(600_000)) << 16);
            seen.add(e.withSeen(List.of(new LogEntry.Seen(written, "k5dazquel60v7q24"))));
        }
        double without = codec.encode(new Batch("bardsur7vc1m8qpw", 1, plain)).length / 5000.0;
        double with = codec.encode(new Batch("bardsur7vc1m8qpw", 1, seen)).length / 5000.0;
        System.out.printf("one-column updates: %.1f bytes per change without seen versions, %.1f with%n", without, with);
        assertTrue(with - without < 6, "seen versions cost " + (with - without) + " bytes per change");
    }

    /** A batch of format 1 (written by an older device): read alike, its updates carry no seen versions. */
    @Test
    void readsFormatOne() throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(new byte[] {2, 'd', '1', 7, 1, 1, 't', 2});
        payload.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 'I', 1, 9, 2, 8, 7});
        payload.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 'U', 1, 9, 1, 5});
        Batch read = codec.decode(TestBatches.frame(1, BatchCodec.FLAG_COMPRESSED, TestBatches.zlib(payload.toByteArray())), "d1", 7);
        assertEquals(2, read.entries().size());
        assertEquals(Op.UPDATE, read.entries().get(1).op());
        assertArrayEquals(new byte[] {5}, read.entries().get(1).data());
        assertEquals(null, read.entries().get(1).seen());
    }

    @Test
    void readsAnUncompressedPayload() throws Exception {
        Batch batch = sample("d1", 7, 20);
        byte[] payload = TestBatches.payloadOf(codec.encode(batch));
        assertSameBatch(batch, codec.decode(TestBatches.frame(BatchCodec.FORMAT_VERSION, 0, payload), "d1", 7));
    }

    @Test
    void refusesBatchesItCannotRepresent() {
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Batch("d1", -1, List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(TestBatches.withData("d1", 1, "bad\uD800", new byte[0])));
        assertThrows(NullPointerException.class,
                () -> codec.encode(new Batch("d1", 1, List.of(new LogEntry(1, "t", Op.DELETE, new byte[0], null)))));
    }

    @Test
    void refusesToWriteAPayloadOverTheLimit() {
        BatchCodec small = new BatchCodec(null, 1024);
        Batch big = TestBatches.withData("d1", 1, "t", new byte[2048]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.encode(big));
        assertTrue(e.getMessage().contains("over the limit of 1024"), e.getMessage());
        assertEquals(256 * 1024 * 1024, BatchCodec.MAX_PAYLOAD_BYTES);
    }

    @Test
    void decodedEntriesAreUnmodifiable() throws Exception {
        Batch decoded = codec.decode(codec.encode(sample("d1", 1, 2)), "d1", 1);
        List<LogEntry> entries = decoded.entries();
        assertThrows(UnsupportedOperationException.class, () -> entries.add(entries.get(0)));
        assertEquals(new ArrayList<>(entries), entries);
    }
}
