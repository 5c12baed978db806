package io.jdbcsync.internal.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Column names and their values, in the same order, as {@link ValueCodec#decodeRow} returns them.
 * Both lists are unmodifiable copies; values may be null.
 */
public record Row(List<String> columns, List<Object> values) {

    public Row {
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(
                    columns.size() + " columns but " + values.size() + " values");
        }
        columns = List.copyOf(columns);
        // List.copyOf rejects nulls, and SQL values are often null.
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }
}
