package io.jdbcsync.internal.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link BinaryWriter} wrote, treating every byte as untrusted: lengths are checked
 * against what is left before anything is allocated, and every malformation becomes a
 * {@link CorruptBatchException} whose message says what was wrong (without naming the batch).
 */
final class BinaryReader {

    private final byte[] bytes;
    private final int end;
    private int position;

    BinaryReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    int remaining() {
        return end - position;
    }

    int position() {
        return position;
    }

    /** Moves on to {@code offset}, the end of a part whose length was found by parsing it. */
    void skipTo(int offset, String field) throws CorruptBatchException {
        require(offset - position, field);
        position = offset;
    }

    int readByte(String field) throws CorruptBatchException {
        require(1, field);
        return bytes[position++] & 0xFF;
    }

    long readVarint(String field) throws CorruptBatchException {
        long value = 0;
        for (int index = 0; index < 10; index++) {
            require(1, field);
            int b = bytes[position++] & 0xFF;
            if (index == 9 && b > 1) {
                throw new CorruptBatchException("malformed " + field + ": number exceeds 64 bits");
            }
            value |= (long) (b & 0x7F) << (7 * index);
            if ((b & 0x80) == 0) {
                if (b == 0 && index > 0) {
                    // One value, one encoding: keeps equal batches byte-identical.
                    throw new CorruptBatchException("malformed " + field + ": overlong number");
                }
                return value;
            }
        }
        throw new CorruptBatchException("malformed " + field + ": number exceeds 64 bits");
    }

    /** A varint that counts things which each take at least {@code minBytesEach} of what is left. */
    int readCount(String field, int minBytesEach) throws CorruptBatchException {
        long count = readVarint(field);
        if (count > remaining() / Math.max(1, minBytesEach)) {
            throw new CorruptBatchException("malformed " + field + ": " + count
                    + " does not fit in the " + remaining() + " bytes left");
        }
        return (int) count;
    }

    long readLong(String field) throws CorruptBatchException {
        require(8, field);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position++] & 0xFF);
        }
        return value;
    }

    byte[] readBytes(String field) throws CorruptBatchException {
        int length = readCount(field + " length", 1);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    String readString(String field) throws CorruptBatchException {
        int length = readCount(field + " length", 1);
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, position, length))
                    .toString();
            position += length;
            return value;
        } catch (CharacterCodingException e) {
            throw new CorruptBatchException("malformed " + field + ": not valid UTF-8", e);
        }
    }

    private void require(int count, String field) throws CorruptBatchException {
        if (remaining() < count) {
            throw new CorruptBatchException("payload ends inside " + field);
        }
    }
}
