package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** The protocol's basic encodings: length-encoded integers and strings, NUL-terminated strings. */
public final class Wire {

    private Wire() {
    }

    public static void writeLenenc(ByteBuf buf, long value) {
        if (value >= 0 && value < 251) {
            buf.writeByte((int) value);
        } else if (value >= 0 && value < 0x10000) {
            buf.writeByte(0xFC);
            buf.writeShortLE((int) value);
        } else if (value >= 0 && value < 0x1000000) {
            buf.writeByte(0xFD);
            buf.writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE);
            buf.writeLongLE(value);
        }
    }

    public static void writeLenencBytes(ByteBuf buf, byte[] bytes) {
        writeLenenc(buf, bytes.length);
        buf.writeBytes(bytes);
    }

    public static void writeLenencString(ByteBuf buf, String s) {
        writeLenencBytes(buf, s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeNulString(ByteBuf buf, String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        buf.writeByte(0);
    }

    /** A length-encoded integer; -1 for the NULL marker 0xFB. */
    public static long readLenenc(ByteBuf buf) {
        int first = buf.readUnsignedByte();
        switch (first) {
            case 0xFB:
                return -1;
            case 0xFC:
                return buf.readUnsignedShortLE();
            case 0xFD:
                return buf.readUnsignedMediumLE();
            case 0xFE:
                return buf.readLongLE();
            case 0xFF:
                throw new ProtocolException("0xFF is not a length-encoded integer");
            default:
                return first;
        }
    }

    public static byte[] readLenencBytes(ByteBuf buf) {
        long length = readLenenc(buf);
        if (length < 0 || length > buf.readableBytes()) {
            throw new ProtocolException("length-encoded string longer than its packet");
        }
        byte[] bytes = new byte[(int) length];
        buf.readBytes(bytes);
        return bytes;
    }

    public static String readNulString(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new ProtocolException("string without its terminating NUL");
        }
        String s = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return s;
    }

    /** The rest of the packet as bytes (an optional trailing NUL removed). */
    public static byte[] readRestWithoutNul(ByteBuf buf) {
        int length = buf.readableBytes();
        if (length > 0 && buf.getByte(buf.writerIndex() - 1) == 0) {
            length--;
        }
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        buf.skipBytes(buf.readableBytes());
        return bytes;
    }

    public static String readRest(ByteBuf buf) {
        String s = buf.toString(StandardCharsets.UTF_8);
        buf.skipBytes(buf.readableBytes());
        return s;
    }
}
