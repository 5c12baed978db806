package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnDefinition;
import io.jdbcsync.proxy.protocol.ColumnType;
import io.jdbcsync.proxy.protocol.Wire;
import io.netty.buffer.ByteBuf;

import java.util.regex.Pattern;

/**
 * {@code SHOW [FULL] PROCESSLIST} under multiplexing: the proxy's own sessions, by the ids their
 * handshakes showed, which {@code CONNECTION_ID()} returns and {@code KILL} takes (the backend
 * connections' ids would match none of them). MariaDB's columns, in MariaDB's order.
 */
public final class ProcessList {
    static final Pattern SHOW = Pattern.compile("(?is)\\s*SHOW\\s+(FULL\\s+)?PROCESSLIST\\s*;?\\s*");
    /** Without FULL, MariaDB shows the first 100 characters of each statement. */
    private static final int INFO_CHARS = 100;

    /** One session as listed. */
    public record Entry(long id, String user, String host, String database, String command, long seconds, String info) {
        Entry withInfo(String statement) {
            return new Entry(id, user, host, database, "Query", 0, statement);
        }
    }

    private ProcessList() {
    }

    static ColumnDefinition[] columns() {
        return new ColumnDefinition[] {
            column("Id", 21, ColumnType.LONGLONG, ColumnType.FLAG_NOT_NULL),
            column("User", 128 * 4, ColumnType.VAR_STRING, ColumnType.FLAG_NOT_NULL),
            column("Host", 64 * 4, ColumnType.VAR_STRING, ColumnType.FLAG_NOT_NULL),
            column("db", 64 * 4, ColumnType.VAR_STRING, 0),
            column("Command", 16 * 4, ColumnType.VAR_STRING, ColumnType.FLAG_NOT_NULL),
            column("Time", 7, ColumnType.LONG, ColumnType.FLAG_NOT_NULL),
            column("State", 30 * 4, ColumnType.VAR_STRING, 0),
            column("Info", 100 * 4, ColumnType.VAR_STRING, 0),
            new ColumnDefinition("", "", "", "Progress", "", ColumnType.BINARY_CHARSET, 7, ColumnType.NEWDECIMAL,
                    ColumnType.FLAG_NOT_NULL, 3),
        };
    }

    private static ColumnDefinition column(String name, long length, int type, int flags) {
        boolean text = type == ColumnType.VAR_STRING;
        return new ColumnDefinition("", "", "", name, "", text ? ColumnType.UTF8MB4_GENERAL_CI : ColumnType.BINARY_CHARSET,
                length, type, flags | (text ? 0 : ColumnType.FLAG_BINARY), 0);
    }

    /** One text-protocol row. */
    static void row(ByteBuf buf, Entry e, boolean full) {
        Wire.writeLenencString(buf, Long.toString(e.id()));
        Wire.writeLenencString(buf, e.user());
        Wire.writeLenencString(buf, e.host());
        nullable(buf, e.database());
        Wire.writeLenencString(buf, e.command());
        Wire.writeLenencString(buf, Long.toString(e.seconds()));
        Wire.writeLenencString(buf, "");
        nullable(buf, e.info() == null || full || e.info().length() <= INFO_CHARS ? e.info() : e.info().substring(0, INFO_CHARS));
        Wire.writeLenencString(buf, "0.000");
    }

    private static void nullable(ByteBuf buf, String s) {
        if (s == null) {
            buf.writeByte(0xFB);
        } else {
            Wire.writeLenencString(buf, s);
        }
    }
}
