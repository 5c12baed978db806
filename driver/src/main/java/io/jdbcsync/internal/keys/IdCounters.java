package io.jdbcsync.internal.keys;

import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.ColumnKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tables that hand out ids themselves, as ORMs create them when they emulate sequences (Hibernate's
 * {@code hibernate_sequence}, {@code <entity>_seq}, {@code hibernate_sequences}): every device's copy
 * counts on its own, so the ids collide across devices whether the table is synced or not.
 */
final class IdCounters {
    private static final Set<String> COUNTER_COLUMNS = Set.of("next_val", "next_hi", "sequence_next_hi_value");

    private IdCounters() {
    }

    static List<String> find(Schema schema) {
        List<String> out = new ArrayList<>();
        for (TableInfo t : schema.tables()) {
            if (isCounter(t)) {
                out.add(t.name());
            }
        }
        return out;
    }

    static boolean isCounter(TableInfo t) {
        String name = t.name().toLowerCase(Locale.ROOT);
        boolean named = name.equals("hibernate_sequence") || name.equals("hibernate_sequences") || name.endsWith("_seq");
        boolean counterColumn = false;
        boolean allSmall = t.columns().size() <= 2;
        for (ColumnInfo c : t.columns()) {
            counterColumn |= c.kind() == ColumnKind.INTEGER && COUNTER_COLUMNS.contains(c.name().toLowerCase(Locale.ROOT));
        }
        return counterColumn && (named || allSmall);
    }
}
