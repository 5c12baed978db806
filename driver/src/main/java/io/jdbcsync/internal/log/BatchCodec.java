package io.jdbcsync.internal.log;

import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Turns a {@link Batch} into the bytes of one shared-log object and back.
 *
 * <h2>Object format, version 2 (readers also read version 1)</h2>
 * <pre>
 * offset  size  field
 * 0       3     magic: ASCII "JSB" (0x4A 0x53 0x42)
 * 3       1     format version: 2 (1: written by older devices, see below)
 * 4       1     flags: bit 0 = body is compressed, bit 1 = body is encrypted; other bits 0
 * 5       n     body
 * 5+n     4     CRC-32C (Castagnoli) of bytes 0 .. 5+n-1, big-endian
 * </pre>
 * Body: the payload compressed as a zlib stream (RFC 1950 wrapping RFC 1951 DEFLATE; level 6, level 1
 * from 64 KiB of payload: readers do not depend on the level); when
 * encrypted, that compressed stream sealed by {@link BatchCipher} (12-byte IV, ciphertext, 16-byte
 * GCM tag) with associated data {@code device + "/" + sequence}. Writers always compress; readers
 * also accept an uncompressed payload (bit 0 clear).
 *
 * <p>Payload ("varint" = unsigned LEB128, 7 bits per byte, least significant group first, high bit
 * set on all but the last byte, shortest form only; "string" = varint byte length + UTF-8;
 * "bytes" = varint length + raw bytes):
 * <pre>
 * string   device id
 * varint   sequence
 * varint   T, number of distinct table names
 * T x string  table names, in order of first use in the entries
 * varint   D, number of other devices named by seen versions
 * D x string  their ids, in order of first use
 * varint   E, number of entries
 * E x entry:
 *   8 bytes  hlc, big-endian two's complement
 *   varint   table: index into the table names
 *   1 byte   op: ASCII code of {@link Op#code()} ('I', 'U', 'D')
 *   bytes    key
 *   bytes    data
 *   updates only: varint S (0 = nothing known, else one per column of data, in its order), then
 *   S x seen: varint device (0 = unknown, nothing follows; 1 = the batch's own device; 2 + i =
 *            device i of the dictionary), then varint zigzag(entry hlc - seen hlc)
 * </pre>
 * Nothing may follow the last entry. Version 1 has neither the device dictionary nor the seen
 * versions (its updates count as "nothing known"). A payload larger than 256 MiB is
 * refused on both sides, so a small object cannot make a reader inflate without bound.
 *
 * <p>Without a cipher, encoding is deterministic: the same batch gives the same bytes (with the
 * same zlib build), so a retried write is recognised by content. With a cipher the IV is random.
 *
 * <p>Thread-safe.
 */
public final class BatchCodec {

    /** The largest payload (before compression) written or read: 256 MiB. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
    static final int FORMAT_VERSION = 2;
    /** The oldest format this reader still reads. */
    static final int OLDEST_FORMAT_VERSION = 1;
    static final int FLAG_COMPRESSED = 0x01;
    static final int FLAG_ENCRYPTED = 0x02;

    private static final byte[] MAGIC = {'J', 'S', 'B'};
    private static final int HEADER_BYTES = 5;
    private static final int CRC_BYTES = 4;
    /** zlib's default: on row data about 1% larger than level 9 at a third of its cost. */
    private static final int COMPRESSION_LEVEL = 6;
    /**
     * zlib's fastest level, for payloads of at least {@link #FAST_FROM_BYTES}: on row data about 8%
     * larger than level 6 at a third to a quarter of its cost, which on a large push is a third of
     * the push's time.
     */
    private static final int FAST_COMPRESSION_LEVEL = 1;
    static final int FAST_FROM_BYTES = 64 * 1024;

    private final BatchCipher cipher;
    private final int maxPayloadBytes;

    /** @param cipherOrNull encrypts and requires encrypted batches when set; plain batches when null */
    public BatchCodec(BatchCipher cipherOrNull) {
        this(cipherOrNull, MAX_PAYLOAD_BYTES);
    }

    BatchCodec(BatchCipher cipherOrNull, int maxPayloadBytes) {
        this.cipher = cipherOrNull;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * The stored form of {@code batch}.
     *
     * @throws IllegalArgumentException when the batch cannot be represented: negative sequence,
     *     a name that is not valid Unicode, or a payload over the size limit
     */
    public byte[] encode(Batch batch) {
        byte[] payload = BatchPayload.encode(batch);
        if (payload.length > maxPayloadBytes) {
            throw new IllegalArgumentException("batch " + BatchName.of(batch.device(), batch.sequence())
                    + " is " + payload.length + " bytes, over the limit of " + maxPayloadBytes + ": write smaller batches");
        }
        int flags = FLAG_COMPRESSED;
        byte[] body = deflate(payload);
        if (cipher != null) {
            body = cipher.seal(body, BatchCipher.batchAssociatedData(batch.device(), batch.sequence()));
            flags |= FLAG_ENCRYPTED;
        }
        byte[] out = new byte[HEADER_BYTES + body.length + CRC_BYTES];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[3] = FORMAT_VERSION;
        out[4] = (byte) flags;
        System.arraycopy(body, 0, out, HEADER_BYTES, body.length);
        writeCrc(out);
        return out;
    }

    /**
     * Reads the object found at {@code expectedDevice}/{@code expectedSequence}, checking that it
     * is intact, readable with this codec's key (or lack of one), and really that batch.
     *
     * @throws CorruptBatchException with a message naming the batch and the reason
     */
    public Batch decode(byte[] bytes, String expectedDevice, long expectedSequence) throws CorruptBatchException {
        String name = BatchName.of(expectedDevice, expectedSequence);
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw corrupt(name, "too short (" + bytes.length + " bytes) to be a batch");
        }
        if (bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]) {
            throw corrupt(name, "not a jdbc-sync batch");
        }
        int version = bytes[3] & 0xFF;
        if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw corrupt(name, version > FORMAT_VERSION
                    ? "format version " + version + " is newer than this reader supports (" + FORMAT_VERSION + ")"
                    : "unknown format version " + version);
        }
        if (!crcMatches(bytes)) {
            throw corrupt(name, "checksum mismatch (truncated or altered)");
        }
        int flags = bytes[4] & 0xFF;
        if ((flags & ~(FLAG_COMPRESSED | FLAG_ENCRYPTED)) != 0) {
            throw corrupt(name, "unknown flags 0x" + Integer.toHexString(flags));
        }
        boolean encrypted = (flags & FLAG_ENCRYPTED) != 0;
        if (encrypted && cipher == null) {
            throw corrupt(name, "batch is encrypted; set sync.passphrase");
        }
        if (!encrypted && cipher != null) {
            // Otherwise whoever can write to the storage could slip in batches of their own.
            throw corrupt(name, "batch is not encrypted but a passphrase is configured");
        }
        byte[] body = Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length - CRC_BYTES);
        try {
            if (encrypted) {
                body = cipher.open(body, BatchCipher.batchAssociatedData(expectedDevice, expectedSequence));
            }
            byte[] payload = (flags & FLAG_COMPRESSED) != 0 ? inflate(body) : body;
            if (payload.length > maxPayloadBytes) {
                throw new CorruptBatchException("payload exceeds " + maxPayloadBytes + " bytes");
            }
            return BatchPayload.decode(payload, expectedDevice, expectedSequence, version);
        } catch (CorruptBatchException e) {
            throw corrupt(name, e.getMessage(), e);
        }
    }

    private static byte[] deflate(byte[] payload) {
        Deflater deflater = new Deflater(payload.length >= FAST_FROM_BYTES ? FAST_COMPRESSION_LEVEL : COMPRESSION_LEVEL);
        try {
            deflater.setInput(payload);
            deflater.finish();
            byte[] out = new byte[Math.max(64, payload.length / 4)];
            int size = 0;
            while (!deflater.finished()) {
                if (size == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                size += deflater.deflate(out, size, out.length - size);
            }
            return Arrays.copyOf(out, size);
        } finally {
            deflater.end();
        }
    }

    /** Inflates in steps so that a small object claiming a huge payload is stopped at the limit. */
    private byte[] inflate(byte[] compressed) throws CorruptBatchException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[(int) Math.min((long) maxPayloadBytes + 1, Math.max(256L, compressed.length * 4L))];
            int size = 0;
            while (!inflater.finished()) {
                if (size == out.length) {
                    if (size > maxPayloadBytes) {
                        throw new CorruptBatchException("payload inflates beyond " + maxPayloadBytes + " bytes");
                    }
                    out = Arrays.copyOf(out, (int) Math.min((long) maxPayloadBytes + 1, out.length * 2L));
                }
                int produced = inflater.inflate(out, size, out.length - size);
                size += produced;
                if (produced == 0 && !inflater.finished()) {
                    if (inflater.needsInput()) {
                        throw new CorruptBatchException("compressed data ends early");
                    }
                    if (inflater.needsDictionary()) {
                        throw new CorruptBatchException("compressed data needs a preset dictionary");
                    }
                    if (size < out.length) {
                        throw new CorruptBatchException("compressed data makes no progress");
                    }
                }
            }
            if (size > maxPayloadBytes) {
                throw new CorruptBatchException("payload inflates beyond " + maxPayloadBytes + " bytes");
            }
            if (inflater.getRemaining() != 0) {
                throw new CorruptBatchException(inflater.getRemaining() + " bytes of trailing garbage after the compressed data");
            }
            return Arrays.copyOf(out, size);
        } catch (DataFormatException e) {
            throw new CorruptBatchException("compressed data is malformed (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private static void writeCrc(byte[] out) {
        int crc = crc32c(out, out.length - CRC_BYTES);
        int at = out.length - CRC_BYTES;
        out[at] = (byte) (crc >>> 24);
        out[at + 1] = (byte) (crc >>> 16);
        out[at + 2] = (byte) (crc >>> 8);
        out[at + 3] = (byte) crc;
    }

    private static boolean crcMatches(byte[] bytes) {
        int at = bytes.length - CRC_BYTES;
        int stored = (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16
                | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
        return stored == crc32c(bytes, at);
    }

    private static int crc32c(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static CorruptBatchException corrupt(String name, String reason) {
        return new CorruptBatchException("batch " + name + ": " + reason);
    }

    private static CorruptBatchException corrupt(String name, String reason, Throwable cause) {
        return new CorruptBatchException("batch " + name + ": " + reason, cause);
    }
}
