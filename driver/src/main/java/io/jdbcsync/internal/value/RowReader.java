package io.jdbcsync.internal.value;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decodes rows exactly as {@link ValueCodec#decodeRow} does, for many rows with the same columns
 * (a batch's inserts into one table): a row whose column names are byte for byte those of the row
 * before gets the very same list of names, so names are decoded, hashed and compared once per run
 * of such rows instead of once per row. Not thread-safe: one per batch loop.
 */
public final class RowReader {
    private byte[][] lastNames = new byte[0][];
    private List<String> lastColumns = List.of();

    /** The columns and values of an encoded row. */
    public Row decode(byte[] bytes) {
        List<Object> values = values(bytes);
        return new Row(lastColumns, values);
    }

    /**
     * The values of an encoded row, in a list of their own (not copied again into a {@link Row}, for
     * a caller that only passes them on); their column names are then {@link #columns()}.
     */
    public List<Object> values(byte[] bytes) {
        ByteSource in = new ByteSource(Objects.requireNonNull(bytes, "bytes"));
        // Every column takes at least a name length byte and a tag byte.
        int count = in.readLength("column count", 2);
        boolean same = count == lastNames.length;
        int[] nameAt = new int[count];
        int[] nameLength = new int[count];
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readLength("column name length", 1);
            nameAt[i] = in.position();
            nameLength[i] = length;
            same = same && sameName(bytes, nameAt[i], length, lastNames[i]);
            in.skip(length);
            values.add(ValueCodec.readValue(in));
        }
        in.expectEnd();
        if (!same) {
            byte[][] names = new byte[count][];
            List<String> columns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                names[i] = Arrays.copyOfRange(bytes, nameAt[i], nameAt[i] + nameLength[i]);
                columns.add(new String(names[i], StandardCharsets.UTF_8));
            }
            lastNames = names;
            lastColumns = List.copyOf(columns);
        }
        return values;
    }

    /** True when the name at {@code at} is byte for byte {@code last}: a plain loop, as names are a few bytes. */
    private static boolean sameName(byte[] bytes, int at, int length, byte[] last) {
        if (length != last.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[at + i] != last[i]) {
                return false;
            }
        }
        return true;
    }

    /** The column names of the row decoded last: the same list as long as rows have the same names. */
    public List<String> columns() {
        return lastColumns;
    }
}
