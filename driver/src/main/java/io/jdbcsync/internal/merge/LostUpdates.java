package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Column values lost to a delete that raced them: an update newer than the delete of its row (its
 * device had not seen the delete, and the deleting device had not seen the update) loses, since a
 * delete wins over every update. {@link MergeRules} decides it ({@link MergeRules.Decision#lostTo()});
 * the integrator keeps such updates parked (in case an insert brings the row back), and this lists
 * what they hold while the rules still say they lost: per column the newest lost value, so every
 * device lists the same losses whatever the order changes arrived in. Bounded by the parked
 * updates, which go when the row comes back or a newer delete makes them moot.
 */
public final class LostUpdates {
    /** Why an update newer than the delete of its row is kept aside. */
    static final String ROW_DELETED = "row deleted; kept in case it is inserted again";

    /** One column value that lost: the update that wrote it, and the delete it lost to. */
    public record Loss(String table, byte[] key, String column, Object value, Version update, Version delete) { }

    private LostUpdates() {
    }

    /** Every current loss, newest update first. */
    public static List<Loss> list(Connection c, Dialect dialect) throws SQLException {
        Map<String, Loss> newest = new TreeMap<>();
        try (VersionStore versions = new VersionStore(c, dialect)) {
            for (ParkedChanges.Parked p : new ParkedChanges(c, dialect.upsertPrefix()).parkedFor(ROW_DELETED)) {
                String table = p.entry().table();
                byte[] key = p.entry().key();
                Row row = ValueCodec.decodeRow(p.entry().data());
                Version update = new Version(p.entry().hlc(), p.device());
                RowVersion rv = versions.get(table.toLowerCase(Locale.ROOT), key);
                Version delete = MergeRules.decide(rv, Op.UPDATE, update, row.columns()).lostTo();
                if (delete == null) {
                    continue; // the row came back, or a newer delete made the update moot
                }
                for (int i = 0; i < row.columns().size(); i++) {
                    String column = row.columns().get(i);
                    Loss loss = new Loss(table, key, column, row.values().get(i), update, delete);
                    newest.merge(table.toLowerCase(Locale.ROOT) + '\0' + Arrays.toString(key) + '\0'
                            + column.toLowerCase(Locale.ROOT), loss, (a, b) -> a.update().newerThan(b.update()) ? a : b);
                }
            }
        }
        List<Loss> out = new ArrayList<>(newest.values());
        out.sort(Comparator.comparing(Loss::update).reversed());
        return out;
    }
}
