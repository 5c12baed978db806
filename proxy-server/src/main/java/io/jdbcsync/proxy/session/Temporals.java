package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * DATE/DATETIME/TIME between their text form ("2024-01-02 03:04:05.123456", "-838:59:59.5") and
 * the binary protocol's structs, without time zones.
 */
final class Temporals {

    private Temporals() {
    }

    static void writeDateTime(ByteBuf buf, String s) {
        int year = Integer.parseInt(s.substring(0, 4));
        int month = Integer.parseInt(s.substring(5, 7));
        int day = Integer.parseInt(s.substring(8, 10));
        int hour = 0, minute = 0, second = 0, micros = 0;
        if (s.length() >= 19) {
            hour = Integer.parseInt(s.substring(11, 13));
            minute = Integer.parseInt(s.substring(14, 16));
            second = Integer.parseInt(s.substring(17, 19));
            if (s.length() > 20) {
                micros = micros(s.substring(20));
            }
        }
        if (micros != 0) {
            buf.writeByte(11);
        } else if (hour != 0 || minute != 0 || second != 0) {
            buf.writeByte(7);
        } else if (year != 0 || month != 0 || day != 0) {
            buf.writeByte(4);
        } else {
            buf.writeByte(0);
            return;
        }
        buf.writeShortLE(year);
        buf.writeByte(month);
        buf.writeByte(day);
        if (micros != 0 || hour != 0 || minute != 0 || second != 0) {
            buf.writeByte(hour);
            buf.writeByte(minute);
            buf.writeByte(second);
            if (micros != 0) {
                buf.writeIntLE(micros);
            }
        }
    }

    static void writeTime(ByteBuf buf, String s) {
        boolean negative = s.startsWith("-");
        String t = negative ? s.substring(1) : s;
        int c1 = t.indexOf(':');
        int c2 = t.indexOf(':', c1 + 1);
        int hours = Integer.parseInt(t.substring(0, c1));
        int minute = Integer.parseInt(t.substring(c1 + 1, c2));
        int dot = t.indexOf('.', c2);
        int second = Integer.parseInt(dot < 0 ? t.substring(c2 + 1) : t.substring(c2 + 1, dot));
        int micros = dot < 0 ? 0 : micros(t.substring(dot + 1));
        if (hours == 0 && minute == 0 && second == 0 && micros == 0) {
            buf.writeByte(0);
            return;
        }
        buf.writeByte(micros != 0 ? 12 : 8);
        buf.writeByte(negative ? 1 : 0);
        buf.writeIntLE(hours / 24);
        buf.writeByte(hours % 24);
        buf.writeByte(minute);
        buf.writeByte(second);
        if (micros != 0) {
            buf.writeIntLE(micros);
        }
    }

    private static int micros(String fraction) {
        String f = (fraction + "000000").substring(0, 6);
        return Integer.parseInt(f);
    }

    /** A binary DATE/DATETIME/TIMESTAMP parameter as text MariaDB accepts. */
    static String readDateTime(ByteBuf buf, boolean dateOnly) {
        int length = buf.readUnsignedByte();
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw new ProtocolException("bad DATETIME length " + length);
        }
        int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
        if (length >= 4) {
            year = buf.readUnsignedShortLE();
            month = buf.readUnsignedByte();
            day = buf.readUnsignedByte();
        }
        if (length >= 7) {
            hour = buf.readUnsignedByte();
            minute = buf.readUnsignedByte();
            second = buf.readUnsignedByte();
        }
        if (length == 11) {
            micros = buf.readIntLE();
        }
        String date = String.format("%04d-%02d-%02d", year, month, day);
        if (dateOnly) {
            return date;
        }
        String time = String.format(" %02d:%02d:%02d", hour, minute, second);
        return micros == 0 ? date + time : date + time + String.format(".%06d", micros);
    }

    /** A binary TIME parameter as text ("-49:02:03.000004"). */
    static String readTime(ByteBuf buf) {
        int length = buf.readUnsignedByte();
        if (length == 0) {
            return "00:00:00";
        }
        if (length != 8 && length != 12) {
            throw new ProtocolException("bad TIME length " + length);
        }
        boolean negative = buf.readByte() != 0;
        long days = buf.readUnsignedIntLE();
        int hour = buf.readUnsignedByte();
        int minute = buf.readUnsignedByte();
        int second = buf.readUnsignedByte();
        int micros = length == 12 ? buf.readIntLE() : 0;
        String s = String.format("%s%02d:%02d:%02d", negative ? "-" : "", days * 24 + hour, minute, second);
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }
}
