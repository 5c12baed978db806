package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.keys.KeyBlocks;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code CALL sync_keys()}: one row per app table saying how its keys are made when the app leaves
 * them to the database, so a user sees before going live which tables get which ids.
 */
final class KeyReport {
    static final String[] COLUMNS = {"table_name", "key_column", "strategy", "max_id", "blocks_held", "ids_left",
        "writer", "problem"};

    private KeyReport() {
    }

    static ControlRows rows(Device device, Schema schema) {
        KeyBlocks blocks = device.keyBlocks();
        Map<String, KeyBlocks.Report> held = new HashMap<>();
        for (KeyBlocks.Report r : blocks.report()) {
            held.put(r.table().toLowerCase(Locale.ROOT), r);
        }
        List<Object[]> rows = new ArrayList<>();
        List<TableInfo> tables = new ArrayList<>(schema.tables());
        tables.sort(java.util.Comparator.comparing(t -> t.name().toLowerCase(Locale.ROOT)));
        java.util.Set<String> counters = new java.util.HashSet<>();
        blocks.counters().forEach(n -> counters.add(n.toLowerCase(Locale.ROOT)));
        for (TableInfo t : tables) {
            if (counters.contains(t.name().toLowerCase(Locale.ROOT))) {
                rows.add(new Object[] {t.name(), null, "ORM id counter: its ids collide across devices", null, null, null,
                        (long) blocks.writer(), "let the database generate those keys (JPA: GenerationType.IDENTITY)"});
                continue;
            }
            String column = t.primaryKey().size() == 1 ? t.primaryKey().get(0) : String.join(",", t.primaryKey());
            KeyBlocks.Report r = held.get(t.name().toLowerCase(Locale.ROOT));
            if (r != null) {
                rows.add(new Object[] {t.name(), column, r.strategy(), r.max(), (long) r.blocks(), r.remaining(),
                        (long) blocks.writer(), r.problem()});
                continue;
            }
            rows.add(new Object[] {t.name(), column.isEmpty() ? null : column, strategy(t), null, null, null,
                    (long) blocks.writer(), null});
        }
        for (String q : blocks.sequences()) {
            rows.add(new Object[] {q, null, "sequence: NEXT VALUE FOR answered from blocks", null, null, null,
                (long) blocks.writer(), null});
        }
        return new ControlRows(COLUMNS, rows);
    }

    private static String strategy(TableInfo t) {
        if (!t.hasPrimaryKey()) {
            return "not synced: no primary key";
        }
        if (!t.synced()) {
            return "not synced: excluded";
        }
        switch (t.keyGeneration()) {
            case INTEGER_ID: return "time-ordered 63-bit";
            case UUID_TEXT: return "uuid7 text";
            case UUID_BINARY: return "uuid7 binary";
            case BLOCK_ID: return "blocks";
            default: return "given by the app";
        }
    }
}
