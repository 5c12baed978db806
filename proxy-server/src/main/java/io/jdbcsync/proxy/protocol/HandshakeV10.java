package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** The server's initial handshake packet (protocol version 10). */
public record HandshakeV10(String serverVersion, long connectionId, byte[] scramble, int capabilities,
                           int charset, int status, String authPlugin) {

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(128);
        buf.writeByte(10);
        Wire.writeNulString(buf, serverVersion);
        buf.writeIntLE((int) connectionId);
        buf.writeBytes(scramble, 0, 8);
        buf.writeByte(0);
        buf.writeShortLE(capabilities & 0xFFFF);
        buf.writeByte(charset);
        buf.writeShortLE(status);
        buf.writeShortLE(capabilities >>> 16);
        buf.writeByte(scramble.length + 1);
        buf.writeZero(6);
        // MariaDB's extended capabilities would go here; none are offered.
        buf.writeZero(4);
        buf.writeBytes(scramble, 8, scramble.length - 8);
        buf.writeByte(0);
        Wire.writeNulString(buf, authPlugin);
        return buf;
    }
}
