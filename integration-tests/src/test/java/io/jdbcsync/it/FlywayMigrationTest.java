package io.jdbcsync.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Flyway migrates each device's database through a {@code jdbc:sync:} DataSource: a new device's
 * schema looks empty to it, its history table stays each device's own, and seed rows with fixed
 * keys converge instead of duplicating.
 */
class FlywayMigrationTest {

    @ParameterizedTest
    @EnumSource(TwoDevices.Kind.class)
    void devicesMigrateAndConverge(TwoDevices.Kind kind) throws Exception {
        Path migrations = Files.createTempDirectory("jsync-flyway");
        try (TwoDevices devices = new TwoDevices(kind)) {
            Files.writeString(migrations.resolve("V1__schema.sql"),
                    "CREATE TABLE category (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);\n"
                            + "CREATE TABLE note (id " + devices.autoKey() + ", category_id INTEGER, title VARCHAR(100) NOT NULL);\n");
            // Seed data every device inserts: fixed keys, so the devices' rows are the same rows.
            Files.writeString(migrations.resolve("V2__seed.sql"),
                    "INSERT INTO category (id, name) VALUES (1, 'inbox'), (2, 'archive');\n");
            for (int i = 0; i < 2; i++) {
                try (HikariDataSource ds = dataSource(devices.url(i))) {
                    MigrateResult r = Flyway.configure().dataSource(ds).locations("filesystem:" + migrations)
                            .installedBy("device" + i).load().migrate();
                    assertEquals(2, r.migrationsExecuted, "device " + i);
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.executeUpdate("INSERT INTO note (category_id, title) VALUES (1, 'from device " + i + "')");
                    }
                }
            }
            devices.converge();
            for (int i = 0; i < 2; i++) {
                assertEquals(List.of("1|inbox", "2|archive"), devices.rows(i, "SELECT id, name FROM category ORDER BY id"));
                assertEquals(List.of("from device 0", "from device 1"), devices.rows(i, "SELECT title FROM note ORDER BY title"));
                assertEquals(List.of("device" + i, "device" + i),
                        devices.rows(i, "SELECT installed_by FROM flyway_schema_history ORDER BY installed_rank"),
                        "each device keeps its own migration history");
                try (HikariDataSource ds = dataSource(devices.url(i))) {
                    Flyway flyway = Flyway.configure().dataSource(ds).locations("filesystem:" + migrations).load();
                    flyway.validate();
                    assertEquals(0, flyway.migrate().migrationsExecuted);
                }
            }
        } finally {
            try (var files = Files.walk(migrations)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The DataSource Flyway is given: the pool names the driver, Flyway learns the database from the connection. */
    static HikariDataSource dataSource(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setDriverClassName("io.jdbcsync.SyncDriver");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
