package io.jdbcsync.internal.schema;

import java.sql.DatabaseMetaData;
import java.util.List;

/**
 * A foreign key of a child table and what the database does to child rows when the parent row
 * they reference is deleted or its referenced columns change.
 *
 * @param childColumns  in key order, matching {@code parentColumns}
 * @param parentColumns empty when the key references the parent's primary key without naming it
 */
public record ForeignKey(String child, List<String> childColumns, String parent, List<String> parentColumns,
                         Action onDelete, Action onUpdate) {

    /** The actions that change child rows; RESTRICT and NO ACTION change none (they fail the statement). */
    public enum Action {
        CASCADE, SET_NULL, SET_DEFAULT, NONE;

        /** From {@link DatabaseMetaData#getImportedKeys}' UPDATE_RULE / DELETE_RULE. */
        static Action ofRule(int rule) {
            switch (rule) {
                case DatabaseMetaData.importedKeyCascade: return CASCADE;
                case DatabaseMetaData.importedKeySetNull: return SET_NULL;
                case DatabaseMetaData.importedKeySetDefault: return SET_DEFAULT;
                default: return NONE;
            }
        }
    }

    public ForeignKey {
        childColumns = List.copyOf(childColumns);
        parentColumns = List.copyOf(parentColumns);
    }

    /** True when deleting a parent row, or changing one of {@code changedParentColumns}, can change child rows. */
    public boolean actsOn(boolean delete, List<String> changedParentColumns) {
        if (delete) {
            return onDelete != Action.NONE;
        }
        if (onUpdate == Action.NONE) {
            return false;
        }
        for (String c : parentColumns) {
            if (changedParentColumns.stream().anyMatch(c::equalsIgnoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** True when it changes child rows on some parent change. */
    public boolean hasAction() {
        return onDelete != Action.NONE || onUpdate != Action.NONE;
    }
}
