package io.jdbcsync.internal.value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ByteSink} wrote. Every read checks the remaining length first, so truncated
 * or garbage input fails with a clear {@link IllegalArgumentException} instead of an index error
 * or a huge allocation.
 */
final class ByteSource {

    static final String CORRUPT = "corrupt value encoding: ";

    private final byte[] buf;
    private int pos;

    ByteSource(byte[] buf) {
        this.buf = buf;
    }

    ByteSource(byte[] buf, int at) {
        this(buf);
        if (at < 0 || at > buf.length) {
            throw corrupt("offset " + at + " outside " + buf.length + " bytes");
        }
        pos = at;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return buf.length - pos;
    }

    int readByte() {
        require(1);
        return buf[pos++] & 0xFF;
    }

    long readVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            if (shift == 63 && b > 1) {
                throw corrupt("varint longer than 64 bits at offset " + (pos - 1));
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("varint longer than 10 bytes at offset " + pos);
    }

    long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    long readFixedLong() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buf[pos++] & 0xFF);
        }
        return value;
    }

    /** A varint length or count that must fit in what is left, each item taking at least {@code minItemSize} bytes. */
    int readLength(String what, int minItemSize) {
        int at = pos;
        long length = readVarLong();
        if (length < 0 || length > remaining() / minItemSize) {
            throw corrupt(what + " " + Long.toUnsignedString(length) + " at offset " + at
                    + " exceeds the " + remaining() + " remaining bytes");
        }
        return (int) length;
    }

    byte[] readBytes(int length) {
        require(length);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return out;
    }

    /** Goes back to an offset read before. */
    void seek(int at) {
        pos = at;
    }

    void skip(int length) {
        require(length);
        pos += length;
    }

    String readUtf8(String what) {
        int length = readLength(what + " length", 1);
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    void expectEnd() {
        if (pos != buf.length) {
            throw corrupt((buf.length - pos) + " unexpected trailing bytes at offset " + pos);
        }
    }

    private void require(int n) {
        if (n > buf.length - pos) {
            throw corrupt("truncated at offset " + pos + ", needed " + n + " more bytes but " + (buf.length - pos) + " remain");
        }
    }

    static IllegalArgumentException corrupt(String detail) {
        return new IllegalArgumentException(CORRUPT + detail);
    }
}
