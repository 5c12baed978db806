package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Column definition packet (protocol 4.1). */
public record ColumnDefinition(String schema, String table, String orgTable, String name, String orgName,
                               int charset, long length, int type, int flags, int decimals) {

    public ByteBuf encode(ByteBufAllocator alloc, boolean withDefault) {
        ByteBuf buf = alloc.buffer(64);
        Wire.writeLenencString(buf, "def");
        Wire.writeLenencString(buf, schema);
        Wire.writeLenencString(buf, table);
        Wire.writeLenencString(buf, orgTable);
        Wire.writeLenencString(buf, name);
        Wire.writeLenencString(buf, orgName);
        buf.writeByte(0x0C);
        buf.writeShortLE(charset);
        buf.writeIntLE((int) Math.min(length, 0xFFFFFFFFL));
        buf.writeByte(type);
        buf.writeShortLE(flags);
        buf.writeByte(decimals);
        buf.writeShortLE(0);
        if (withDefault) {
            // COM_FIELD_LIST: the default value, sent as NULL.
            buf.writeByte(0xFB);
        }
        return buf;
    }

    public boolean isBinary() {
        return charset == ColumnType.BINARY_CHARSET;
    }
}
