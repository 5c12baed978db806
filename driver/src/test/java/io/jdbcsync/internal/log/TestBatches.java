package io.jdbcsync.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jdbcsync.spi.SharedLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Sample batches, and the object format built by hand from its documentation. */
final class TestBatches {

    /** Few enough PBKDF2 iterations that tests run quickly; only for logs made by tests. */
    static final int TEST_ITERATIONS = 1_000;

    private TestBatches() {
    }

    static Batch sample(String device, long sequence, int entryCount) {
        Random random = new Random(sequence * 31 + entryCount);
        String[] tables = {"customer", "order_line", "product"};
        Op[] ops = Op.values();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < entryCount; i++) {
            Op op = ops[i % ops.length];
            byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
            byte[] data = op == Op.DELETE ? new byte[0]
                    : ("{\"name\":\"row " + i + "\",\"qty\":" + random.nextInt(100) + "}").getBytes(StandardCharsets.UTF_8);
            entries.add(new LogEntry(1_700_000_000_000L << 16 | i, tables[i % tables.length], op, key, data));
        }
        return new Batch(device, sequence, entries);
    }

    static Batch withData(String device, long sequence, String table, byte[] data) {
        return new Batch(device, sequence, List.of(new LogEntry(42L, table, Op.INSERT, new byte[] {1, 2, 3}, data)));
    }

    static void assertSameBatch(Batch expected, Batch actual) {
        assertEquals(expected.device(), actual.device());
        assertEquals(expected.sequence(), actual.sequence());
        assertEquals(expected.entries().size(), actual.entries().size());
        for (int i = 0; i < expected.entries().size(); i++) {
            LogEntry e = expected.entries().get(i);
            LogEntry a = actual.entries().get(i);
            assertEquals(e.hlc(), a.hlc(), "hlc of entry " + i);
            assertEquals(e.table(), a.table(), "table of entry " + i);
            assertEquals(e.op(), a.op(), "op of entry " + i);
            assertArrayEquals(e.key(), a.key(), "key of entry " + i);
            assertArrayEquals(e.data(), a.data(), "data of entry " + i);
        }
    }

    /** Header, body and CRC-32C exactly as documented on {@link BatchCodec}. */
    static byte[] frame(int version, int flags, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'J', 'S', 'B', (byte) version, (byte) flags});
        out.writeBytes(body);
        CRC32C crc = new CRC32C();
        crc.update(out.toByteArray());
        int value = (int) crc.getValue();
        out.writeBytes(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        return out.toByteArray();
    }

    /** A compressed, unencrypted batch object of the current format around any payload. */
    static byte[] frameCompressed(byte[] payload) {
        return frame(BatchCodec.FORMAT_VERSION, BatchCodec.FLAG_COMPRESSED, zlib(payload));
    }

    /** The same, of format 1 (no device dictionary, no seen versions): as older devices write. */
    static byte[] frameCompressedFormatOne(byte[] payload) {
        return frame(1, BatchCodec.FLAG_COMPRESSED, zlib(payload));
    }

    static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] unzlib(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater();
        inflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (!inflater.finished()) {
            int n = inflater.inflate(chunk);
            if (n == 0 && inflater.needsInput()) {
                throw new DataFormatException("truncated");
            }
            out.write(chunk, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }

    /** The payload inside an unencrypted object made by {@link BatchCodec#encode}. */
    static byte[] payloadOf(byte[] object) throws DataFormatException {
        return unzlib(Arrays.copyOfRange(object, 5, object.length - 4));
    }

    static byte[] payloadOfUnchecked(byte[] object) {
        try {
            return payloadOf(object);
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        }
    }

    static BatchCipher fastCipher(SharedLog log, String passphrase) throws IOException {
        return BatchCipher.open(log, passphrase.toCharArray(), TEST_ITERATIONS);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
