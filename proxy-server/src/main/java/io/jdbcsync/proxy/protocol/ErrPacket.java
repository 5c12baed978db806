package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** ERR packet with its error code, SQLSTATE and message. */
public record ErrPacket(int code, String sqlState, String message) {
    public static final int ER_CON_COUNT_ERROR = 1040;
    public static final int ER_HANDSHAKE_ERROR = 1043;
    public static final int ER_ACCESS_DENIED = 1045;
    public static final int ER_UNKNOWN_COM_ERROR = 1047;
    public static final int ER_UNKNOWN_ERROR = 1105;
    public static final int ER_NET_PACKET_TOO_LARGE = 1153;
    public static final int ER_NET_READ_ERROR = 1158;
    public static final int ER_NET_PACKETS_OUT_OF_ORDER = 1156;
    public static final int ER_UNKNOWN_STMT_HANDLER = 1243;
    public static final int ER_NOT_SUPPORTED_YET = 1235;
    public static final int ER_WRONG_ARGUMENTS = 1210;
    public static final int ER_SERVER_SHUTDOWN = 1053;

    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(9 + text.length);
        buf.writeByte(0xFF);
        buf.writeShortLE(code);
        buf.writeByte('#');
        String state = sqlState == null || sqlState.length() != 5 ? "HY000" : sqlState;
        buf.writeBytes(state.getBytes(StandardCharsets.US_ASCII));
        buf.writeBytes(text);
        return buf;
    }
}
