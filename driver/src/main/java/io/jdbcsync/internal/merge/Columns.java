package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The columns of an incoming change split by whether this device has them yet: known ones (named
 * as this schema spells them) apply now; unknown ones, from a device with a newer schema, are
 * parked until a schema change brings them, so no value is dropped.
 */
record Columns(List<String> names, List<Object> values, List<String> unknownNames, List<Object> unknownValues) {

    static Columns split(TableInfo t, Row row) {
        List<String> n = new ArrayList<>();
        List<Object> v = new ArrayList<>();
        List<String> un = new ArrayList<>();
        List<Object> uv = new ArrayList<>();
        for (int i = 0; i < row.columns().size(); i++) {
            String name = row.columns().get(i);
            int pos = t.position(name);
            if (pos >= 0) {
                n.add(t.columns().get(pos).name());
                v.add(row.values().get(i));
            } else {
                un.add(name);
                uv.add(row.values().get(i));
            }
        }
        return new Columns(n, v, un, uv);
    }

    /** The known columns that pass {@code keep}. */
    Columns pick(Predicate<String> keep) {
        List<String> n = new ArrayList<>();
        List<Object> v = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (keep.test(names.get(i))) {
                n.add(names.get(i));
                v.add(values.get(i));
            }
        }
        return new Columns(n, v, List.of(), List.of());
    }

    /** The value of a known column (named in any case). */
    Object value(String column) {
        return values.get(indexOf(names, column));
    }

    /** Parks the unknown columns of {@code e} as an update of its row, if there are any. */
    void parkUnknown(ParkedChanges parked, String from, LogEntry e, Tally tally) throws SQLException {
        if (!unknownNames.isEmpty()) {
            parked.park(from, new LogEntry(e.hlc(), e.table(), Op.UPDATE, e.key(),
                    ValueCodec.encodeRow(unknownNames, unknownValues)),
                    "columns " + unknownNames + " of " + e.table() + " do not exist here yet");
            tally.parked++;
        }
    }

    /** Position of a column name in {@code names}, ignoring case as SQL does; -1 if absent. */
    static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
