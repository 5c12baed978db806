package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** OK packet; with {@code header} 0xFE it ends a result set for CLIENT_DEPRECATE_EOF clients. */
public record OkPacket(int header, long affectedRows, long lastInsertId, int status, int warnings, String info) {

    public static OkPacket of(long affectedRows, long lastInsertId, int status, int warnings) {
        return new OkPacket(0x00, affectedRows, lastInsertId, status, warnings, "");
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(16 + info.length());
        buf.writeByte(header);
        Wire.writeLenenc(buf, affectedRows);
        Wire.writeLenenc(buf, lastInsertId);
        buf.writeShortLE(status);
        buf.writeShortLE(Math.min(warnings, 0xFFFF));
        if (!info.isEmpty()) {
            buf.writeBytes(info.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return buf;
    }
}
