package io.jdbcsync.internal.schema;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Arrays;

/**
 * Which tables the user wants synced: {@code sync.tables} (only these) and {@code sync.exclude}.
 * Migration tools' own tables are never synced unless {@code sync.tables} names them: every
 * device runs its migrations itself, and its history says what ran here, not elsewhere.
 */
public final class TableSelection {
    /** History and lock tables of migration tools, by their default names (lower case). */
    static final Set<String> MIGRATION_TOOL_TABLES = Set.of(
            "flyway_schema_history", "schema_version",              // Flyway (and its name before 5.0)
            "databasechangelog", "databasechangeloglock",           // Liquibase
            "schema_migrations", "ar_internal_metadata",            // Rails, golang-migrate, dbmate
            "knex_migrations", "knex_migrations_lock",              // Knex
            "django_migrations", "alembic_version",                 // Django, Alembic
            "goose_db_version", "gorp_migrations",                  // goose, sql-migrate
            "__efmigrationshistory", "sequelizemeta");              // EF Core, Sequelize

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
        return (only.isEmpty() ? !MIGRATION_TOOL_TABLES.contains(t) : only.contains(t)) && !excluded.contains(t);
    }
}
