package io.jdbcsync.internal.value;

import java.util.Arrays;

/**
 * A growable output buffer with the primitive writes of the value encoding. Strings are encoded to
 * UTF-8 straight into the buffer, so encoding allocates nothing but the buffer itself. Public for
 * the packed change-log rows, which encode many changes' values into one buffer.
 */
public final class ByteSink {

    private byte[] buf;
    private int size;

    public ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void writeBytes(byte[] bytes) {
        writeBytes(bytes, 0, bytes.length);
    }

    public void writeBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
    }

    /** Drops what was written from {@code offset} on. */
    public void truncate(int offset) {
        if (offset < 0 || offset > size) {
            throw new IndexOutOfBoundsException(offset);
        }
        size = offset;
    }

    /** Overwrites the byte written at {@code offset}. */
    public void set(int offset, int b) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException(offset);
        }
        buf[offset] = (byte) b;
    }

    /** Whether the {@code length} bytes written at {@code a} equal those at {@code b}. */
    public boolean sameBytes(int a, int b, int length) {
        return Arrays.equals(buf, a, a + length, buf, b, b + length);
    }

    /** Copies {@code length} written bytes from {@code offset} into {@code target} at {@code at}. */
    public void copyTo(int offset, byte[] target, int at, int length) {
        System.arraycopy(buf, offset, target, at, length);
    }

    /** Unsigned LEB128: 7 bits per byte, low group first, high bit set on all but the last byte. */
    public void writeVarLong(long value) {
        ensure(10);
        byte[] b = buf;
        int p = size;
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        size = p;
    }

    /** Zig-zag first, so that small negative numbers stay short too. */
    void writeZigZag(long value) {
        writeVarLong((value << 1) ^ (value >> 63));
    }

    /** Eight bytes, big-endian. */
    void writeFixedLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
    }

    /** Varint byte length, then the UTF-8 bytes; exactly what {@code String.getBytes(UTF_8)} gives. */
    public void writeUtf8(String s) {
        int length = s.length();
        int encoded = utf8Length(s);
        writeVarLong(encoded);
        ensure(encoded);
        byte[] b = buf;
        int p = size;
        int i = 0;
        // Most text is ASCII: copy it in a tight loop before taking the general path.
        while (i < length) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            b[p++] = (byte) c;
            i++;
        }
        for (; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    // A lone surrogate has no UTF-8 form; the JDK's encoder writes '?', and so do we.
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = p;
    }

    private static int utf8Length(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                        // Two chars become four bytes.
                        bytes += 2;
                        i++;
                    }
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    public byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        if (extra > buf.length - size) {
            long needed = (long) size + extra;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("encoded value too large: " + needed + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) Math.max(needed, Math.min((long) buf.length * 2, Integer.MAX_VALUE - 8)));
        }
    }
}
