package io.jdbcsync.schema;

import io.jdbcsync.value.ColumnKind;

/**
 * A column of an app table as the database reports it.
 *
 * @param hasDefault true when an omitted value is filled by the database with something other
 *                   than NULL (so an insert that omits it must be read back to log the stored value)
 */
public record ColumnInfo(String name, ColumnKind kind, boolean autoIncrement, boolean hasDefault) {
}
