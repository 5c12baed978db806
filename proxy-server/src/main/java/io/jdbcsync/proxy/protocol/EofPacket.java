package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** EOF packet (clients without CLIENT_DEPRECATE_EOF). */
public record EofPacket(int warnings, int status) {

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(5);
        buf.writeByte(0xFE);
        buf.writeShortLE(Math.min(warnings, 0xFFFF));
        buf.writeShortLE(status);
        return buf;
    }
}
