package io.jdbcsync.internal.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A portable, exact binary encoding of SQL values, so that devices on different databases
 * exchange the same values byte for byte. Encoding is deterministic: the same Java value always
 * gives the same bytes (see {@link #canonical} for making the same logical value the same Java
 * value first).
 *
 * <p>Each value is one tag byte followed by its payload. The tags are stored in logs and batches
 * shared between devices: never renumber them, only add new ones.
 * <pre>
 * tag   name       payload
 * 0x00  NULL       none
 * 0x01  LONG       zig-zag varint
 * 0x02  BIGINT     varint length, big-endian two's-complement bytes (only outside the long range)
 * 0x03  DOUBLE     8 bytes IEEE-754 bits, big-endian; every NaN is written as the canonical NaN
 * 0x04  DECIMAL    zig-zag varint scale, varint length, unscaled two's-complement bytes
 * 0x05  TEXT       varint length, UTF-8 bytes
 * 0x06  BLOB       varint length, bytes
 * 0x07  BOOLEAN    one byte, 0 or 1
 * 0x08  DATE       zig-zag varint epoch day
 * 0x09  TIME       varint nano of day
 * 0x0A  TIMESTAMP  zig-zag varint epoch second of the local date-time taken at UTC, varint nano
 * 0x0B  INSTANT    zig-zag varint epoch second, varint nano (a point in time, no zone involved)
 * 0x0C  INTERVAL   zig-zag varint nanoseconds (a SQL TIME outside 00:00..24:00, e.g. -838:59:59)
 * </pre>
 * Varints are unsigned LEB128 (7 bits per byte, low group first); zig-zag maps 0, -1, 1, -2, ...
 * to 0, 1, 2, 3, ... so small negative numbers stay short.
 *
 * <p>A key is a varint value count followed by the values. A row is a varint column count
 * followed, per column, by the varint length and UTF-8 bytes of its name and then its value.
 *
 * <p>Java types: Long, Integer, Short and Byte are LONG; BigInteger is LONG when it fits, else
 * BIGINT; Double and Float are DOUBLE (a Float through its decimal form, so 0.1f stays 0.1);
 * BigDecimal is DECIMAL with its scale (1.50 stays 1.50); String, Character and UUID are TEXT;
 * byte[] is BLOB; Boolean is BOOLEAN; LocalDate is DATE; LocalTime is TIME; LocalDateTime is
 * TIMESTAMP; a Duration is TIME when it lies in [0, 24h), else INTERVAL; Instant, OffsetDateTime,
 * ZonedDateTime and the java.util.Date family (java.sql.Timestamp with its nanoseconds) are
 * INSTANT: these are points in time, and reading them as a local date or time would need the
 * JVM's zone, which no encoding ever uses. Decoding gives Long, BigInteger, Double, BigDecimal,
 * String, byte[], Boolean, LocalDate, LocalTime, LocalDateTime, Instant, Duration or null.
 */
public final class ValueCodec {

    static final int NULL = 0x00;
    static final int LONG = 0x01;
    static final int BIGINT = 0x02;
    static final int DOUBLE = 0x03;
    static final int DECIMAL = 0x04;
    static final int TEXT = 0x05;
    static final int BLOB = 0x06;
    static final int BOOLEAN = 0x07;
    static final int DATE = 0x08;
    static final int TIME = 0x09;
    static final int TIMESTAMP = 0x0A;
    static final int INSTANT = 0x0B;
    static final int INTERVAL = 0x0C;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ValueCodec() {
    }

    /** Encodes the values of a primary key, in column order. */
    public static byte[] encodeKey(Object... values) {
        Objects.requireNonNull(values, "values");
        ByteSink out = new ByteSink(16 + 10 * values.length);
        out.writeVarLong(values.length);
        for (Object value : values) {
            writeValue(out, value);
        }
        return out.toByteArray();
    }

    /** Encodes the values of a primary key, in column order. */
    public static byte[] encodeKey(List<?> values) {
        return encodeKey(values, 16 + 10 * values.size());
    }

    /** As {@link #encodeKey(List)}, into a buffer of {@code capacity} bytes at first (many small values: a closer guess). */
    public static byte[] encodeKey(List<?> values, int capacity) {
        Objects.requireNonNull(values, "values");
        ByteSink out = new ByteSink(capacity);
        out.writeVarLong(values.size());
        for (Object value : values) {
            writeValue(out, value);
        }
        return out.toByteArray();
    }

    /** Writes what {@link #encodeKey} gives for {@code values}. */
    public static void writeKey(ByteSink out, Object[] values) {
        out.writeVarLong(values.length);
        for (Object value : values) {
            writeValue(out, value);
        }
    }

    /** Writes what {@link #encodeKey} gives for the values of {@code row} at {@code positions}. */
    public static void writeKey(ByteSink out, Object[] row, int[] positions) {
        out.writeVarLong(positions.length);
        for (int p : positions) {
            writeValue(out, row[p]);
        }
    }

    /**
     * Writes the values from position {@code from} on one after another, with neither a count nor
     * column names: the values of a row whose column names are written once elsewhere (a packed
     * change-log row).
     */
    public static void writeValues(ByteSink out, Object[] values, int from) {
        for (int i = from; i < values.length; i++) {
            writeValue(out, values[i]);
        }
    }

    /** A column name as {@link #encodeRow} writes it (varint length, UTF-8). */
    public static byte[] encodeName(String column) {
        ByteSink out = new ByteSink(column.length() + 4);
        out.writeUtf8(column);
        return out.toByteArray();
    }

    /** The offset just past the key ({@link #encodeKey}) that starts at {@code at}. */
    public static int keyEnd(byte[] bytes, int at) {
        ByteSource in = new ByteSource(bytes, at);
        int count = in.readLength("value count", 1);
        for (int i = 0; i < count; i++) {
            skipValue(in);
        }
        return in.position();
    }

    /** The offset just past the value that starts at {@code at}. */
    public static int valueEnd(byte[] bytes, int at) {
        ByteSource in = new ByteSource(bytes, at);
        skipValue(in);
        return in.position();
    }

    /** The key values {@link #encodeKey} encoded. */
    public static Object[] decodeKey(byte[] bytes) {
        ByteSource in = new ByteSource(Objects.requireNonNull(bytes, "bytes"));
        // Every value takes at least its tag byte.
        Object[] values = new Object[in.readLength("value count", 1)];
        for (int i = 0; i < values.length; i++) {
            values[i] = readValue(in);
        }
        in.expectEnd();
        return values;
    }

    /** Encodes columns and their values, pairwise in list order. */
    public static byte[] encodeRow(List<String> columns, List<?> values) {
        int count = columns.size();
        if (count != values.size()) {
            throw new IllegalArgumentException(count + " columns but " + values.size() + " values");
        }
        ByteSink out = new ByteSink(32 + 24 * count);
        out.writeVarLong(count);
        for (int i = 0; i < count; i++) {
            writeColumn(out, columns.get(i), values.get(i));
        }
        return out.toByteArray();
    }

    /** Encodes a row given as column name to value, in the map's iteration order. */
    public static byte[] encodeRow(Map<String, ?> row) {
        ByteSink out = new ByteSink(32 + 24 * row.size());
        out.writeVarLong(row.size());
        for (Map.Entry<String, ?> column : row.entrySet()) {
            writeColumn(out, column.getKey(), column.getValue());
        }
        return out.toByteArray();
    }

    /** The columns and values {@link #encodeRow} encoded. */
    public static Row decodeRow(byte[] bytes) {
        ByteSource in = new ByteSource(Objects.requireNonNull(bytes, "bytes"));
        // Every column takes at least a name length byte and a tag byte.
        int count = in.readLength("column count", 2);
        List<String> columns = new ArrayList<>(count);
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            columns.add(in.readUtf8("column name"));
            values.add(readValue(in));
        }
        in.expectEnd();
        return new Row(columns, values);
    }

    /**
     * Refuses, as {@link #decodeRow} would, bytes that are not a row it reads; builds no names or
     * values (a push checks every row it publishes, most of them inserts whose values it never needs).
     *
     * @throws IllegalArgumentException with the reason, when {@code decodeRow} would refuse them
     */
    public static void checkRow(byte[] bytes) {
        ByteSource in = new ByteSource(Objects.requireNonNull(bytes, "bytes"));
        int count = in.readLength("column count", 2);
        for (int i = 0; i < count; i++) {
            in.skip(in.readLength("column name length", 1)); // any bytes decode as a name
            checkValue(in);
        }
        in.expectEnd();
    }

    /** Skips a value, refusing what {@link #readValue} refuses; reads only the values that have constraints. */
    private static void checkValue(ByteSource in) {
        int at = in.position();
        int tag = in.readByte();
        in.seek(at);
        switch (tag) {
            case NULL, LONG, DOUBLE, TEXT, BLOB -> skipValue(in);
            default -> readValue(in);
        }
    }

    /**
     * The canonical Java value for a value bound by an application or returned by a driver, for
     * a column of the given kind, so that the same logical value encodes to the same bytes on any
     * device. Never throws: a value it cannot convert is returned as it is.
     *
     * <ul>
     * <li>INTEGER: integral numbers, integral BigDecimals and doubles in range, strings of digits
     *     and booleans (0/1) become Long.
     * <li>REAL: numbers become Double.
     * <li>DECIMAL: numbers and parseable strings become BigDecimal (a Double through its shortest
     *     decimal form).
     * <li>TEXT: Character and UUID become String.
     * <li>BOOLEAN: the numbers 0 and 1 and the strings "true", "false", "0", "1" become Boolean.
     * <li>DATE, TIME, TIMESTAMP (wall clock): the java.time types, ISO strings (also
     *     "yyyy-MM-dd HH:mm:ss.fff", and "[-]h:mm:ss" for TIME) and epoch milliseconds (at UTC) become
     *     LocalDate, LocalTime (or a Duration outside a day) and LocalDateTime; instants are taken at UTC.
     * <li>INSTANT: instants, epoch milliseconds, and wall-clock values at UTC become Instant.
     * <li>Nothing reads the JVM's default time zone: the java.util.Date family is left as it is for
     *     the wall-clock kinds.
     * <li>BLOB, OTHER: unchanged.
     * </ul>
     */
    public static Object canonical(Object value, ColumnKind kind) {
        return CanonicalValues.canonical(value, kind);
    }

    private static void writeColumn(ByteSink out, String column, Object value) {
        if (column == null) {
            throw new IllegalArgumentException("column name must not be null");
        }
        out.writeUtf8(column);
        writeValue(out, value);
    }

    // Most frequent types first: this runs for every column of every captured change.
    private static void writeValue(ByteSink out, Object value) {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Long) {
            writeLong(out, (Long) value);
        } else if (value instanceof String) {
            writeText(out, (String) value);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeLong(out, ((Number) value).longValue());
        } else if (value instanceof BigDecimal) {
            writeDecimal(out, (BigDecimal) value);
        } else if (value instanceof Double) {
            writeDouble(out, (Double) value);
        } else if (value instanceof Boolean) {
            out.writeByte(BOOLEAN);
            out.writeByte((Boolean) value ? 1 : 0);
        } else if (value instanceof byte[]) {
            byte[] bytes = (byte[]) value;
            out.writeByte(BLOB);
            out.writeVarLong(bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof LocalDateTime) {
            writeTimestamp(out, (LocalDateTime) value);
        } else if (value instanceof LocalDate) {
            writeDate(out, (LocalDate) value);
        } else if (value instanceof LocalTime) {
            writeTime(out, (LocalTime) value);
        } else if (value instanceof BigInteger) {
            writeBigInteger(out, (BigInteger) value);
        } else if (value instanceof Float) {
            writeDouble(out, CanonicalValues.widen((Float) value));
        } else if (value instanceof Character || value instanceof UUID) {
            writeText(out, value.toString());
        } else if (value instanceof Duration) {
            Object time = Temporals.timeValue((Duration) value);
            if (time instanceof LocalTime) {
                writeTime(out, (LocalTime) time);
            } else {
                out.writeByte(INTERVAL);
                out.writeZigZag(((Duration) time).toNanos());
            }
        } else {
            Instant instant = Temporals.toInstant(value);
            if (instant == null) {
                throw new IllegalArgumentException("cannot encode a value of " + value.getClass().getName());
            }
            out.writeByte(INSTANT);
            out.writeZigZag(instant.getEpochSecond());
            out.writeVarLong(instant.getNano());
        }
    }

    private static void writeLong(ByteSink out, long value) {
        out.writeByte(LONG);
        out.writeZigZag(value);
    }

    private static void writeText(ByteSink out, String value) {
        out.writeByte(TEXT);
        out.writeUtf8(value);
    }

    private static void writeDouble(ByteSink out, double value) {
        out.writeByte(DOUBLE);
        // doubleToLongBits folds every NaN payload into one, so that NaN encodes the same everywhere.
        out.writeFixedLong(Double.doubleToLongBits(value));
    }

    private static void writeBigInteger(ByteSink out, BigInteger value) {
        if (value.bitLength() < 64) {
            writeLong(out, value.longValue());
            return;
        }
        byte[] bytes = value.toByteArray();
        out.writeByte(BIGINT);
        out.writeVarLong(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeDecimal(ByteSink out, BigDecimal value) {
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeByte(DECIMAL);
        out.writeZigZag(value.scale());
        out.writeVarLong(unscaled.length);
        out.writeBytes(unscaled);
    }

    private static void writeDate(ByteSink out, LocalDate value) {
        out.writeByte(DATE);
        out.writeZigZag(value.toEpochDay());
    }

    private static void writeTime(ByteSink out, LocalTime value) {
        out.writeByte(TIME);
        out.writeVarLong(value.toNanoOfDay());
    }

    private static void writeTimestamp(ByteSink out, LocalDateTime value) {
        out.writeByte(TIMESTAMP);
        out.writeZigZag(value.toEpochSecond(ZoneOffset.UTC));
        out.writeVarLong(value.getNano());
    }

    static Object readValue(ByteSource in) {
        int at = in.position();
        int tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case LONG:
                return in.readZigZag();
            case BIGINT:
                return new BigInteger(readTwosComplement(in, "BIGINT"));
            case DOUBLE:
                return Double.longBitsToDouble(in.readFixedLong());
            case DECIMAL:
                return readDecimal(in, at);
            case TEXT:
                return in.readUtf8("TEXT");
            case BLOB:
                return in.readBytes(in.readLength("BLOB length", 1));
            case BOOLEAN:
                return readBoolean(in, at);
            case DATE:
            case TIME:
            case TIMESTAMP:
            case INSTANT:
            case INTERVAL:
                return readTemporal(in, at, tag);
            default:
                throw ByteSource.corrupt("unknown value tag " + tag + " at offset " + at);
        }
    }

    private static void skipValue(ByteSource in) {
        int at = in.position();
        int tag = in.readByte();
        switch (tag) {
            case NULL:
                return;
            case LONG:
            case DATE:
            case INTERVAL:
                in.readZigZag();
                return;
            case TIME:
                in.readVarLong();
                return;
            case TIMESTAMP:
            case INSTANT:
                in.readZigZag();
                in.readVarLong();
                return;
            case DOUBLE:
                in.skip(8);
                return;
            case BOOLEAN:
                in.skip(1);
                return;
            case DECIMAL:
                in.readZigZag();
                in.skip(in.readLength("DECIMAL length", 1));
                return;
            case BIGINT:
            case TEXT:
            case BLOB:
                in.skip(in.readLength("length", 1));
                return;
            default:
                throw ByteSource.corrupt("unknown value tag " + tag + " at offset " + at);
        }
    }

    private static byte[] readTwosComplement(ByteSource in, String what) {
        int length = in.readLength(what + " length", 1);
        if (length == 0) {
            throw ByteSource.corrupt(what + " with no bytes at offset " + in.position());
        }
        return in.readBytes(length);
    }

    private static BigDecimal readDecimal(ByteSource in, int at) {
        long scale = in.readZigZag();
        if (scale != (int) scale) {
            throw ByteSource.corrupt("DECIMAL scale " + scale + " out of range at offset " + at);
        }
        return new BigDecimal(new BigInteger(readTwosComplement(in, "DECIMAL")), (int) scale);
    }

    private static Boolean readBoolean(ByteSource in, int at) {
        int b = in.readByte();
        if (b > 1) {
            throw ByteSource.corrupt("BOOLEAN byte " + b + " at offset " + at);
        }
        return b == 1;
    }

    private static Object readTemporal(ByteSource in, int at, int tag) {
        try {
            switch (tag) {
                case DATE:
                    return LocalDate.ofEpochDay(in.readZigZag());
                case TIME:
                    return LocalTime.ofNanoOfDay(in.readVarLong());
                case INTERVAL:
                    return Duration.ofNanos(in.readZigZag());
                default:
                    long seconds = in.readZigZag();
                    long nanos = in.readVarLong();
                    if (nanos < 0 || nanos >= NANOS_PER_SECOND) {
                        throw ByteSource.corrupt("TIMESTAMP nanos " + Long.toUnsignedString(nanos) + " at offset " + at);
                    }
                    return tag == INSTANT ? Instant.ofEpochSecond(seconds, nanos)
                            : LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
            }
        } catch (DateTimeException e) {
            throw ByteSource.corrupt("date or time out of range at offset " + at + " (" + e.getMessage() + ")");
        }
    }
}
