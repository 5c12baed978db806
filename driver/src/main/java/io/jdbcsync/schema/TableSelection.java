package io.jdbcsync.schema;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Arrays;

/** Which tables the user wants synced: {@code sync.tables} (only these) and {@code sync.exclude}. */
public final class TableSelection {
    private final Set<String> only;
    private final Set<String> excluded;

    public TableSelection(String onlyList, String excludeList) {
        this.only = parse(onlyList);
        this.excluded = parse(excludeList);
    }

    private static Set<String> parse(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    public boolean wants(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        return (only.isEmpty() || only.contains(t)) && !excluded.contains(t);
    }
}
