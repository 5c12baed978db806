package io.jdbcsync.it;

import com.zaxxer.hikari.HikariDataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Liquibase updates each device through a {@code jdbc:sync:} DataSource; its change log and lock
 * tables stay each device's own, and app rows written afterwards converge.
 */
class LiquibaseMigrationTest {

    private static final String CHANGELOG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                <property name="idType" value="INTEGER" dbms="sqlite"/>
                <property name="idType" value="BIGINT" dbms="mariadb,mysql"/>
                <changeSet id="1" author="app">
                    <createTable tableName="category">
                        <column name="id" type="INTEGER"><constraints primaryKey="true"/></column>
                        <column name="name" type="VARCHAR(40)"><constraints nullable="false"/></column>
                    </createTable>
                    <createTable tableName="task">
                        <column name="id" type="${idType}" autoIncrement="true"><constraints primaryKey="true"/></column>
                        <column name="category_id" type="INTEGER"/>
                        <column name="title" type="VARCHAR(100)"/>
                    </createTable>
                </changeSet>
                <changeSet id="2" author="app">
                    <insert tableName="category">
                        <column name="id" valueNumeric="1"/>
                        <column name="name" value="inbox"/>
                    </insert>
                </changeSet>
            </databaseChangeLog>
            """;

    @ParameterizedTest
    @EnumSource(TwoDevices.Kind.class)
    void devicesUpdateAndConverge(TwoDevices.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("jsync-liquibase");
        try (TwoDevices devices = new TwoDevices(kind)) {
            Files.writeString(dir.resolve("changelog.xml"), CHANGELOG);
            for (int i = 0; i < 2; i++) {
                try (HikariDataSource ds = FlywayMigrationTest.dataSource(devices.url(i))) {
                    update(ds, dir);
                    try (Connection c = ds.getConnection();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO task (category_id, title) VALUES (?, ?)")) {
                        ps.setInt(1, 1);
                        ps.setString(2, "task of device " + i);
                        ps.executeUpdate();
                    }
                    update(ds, dir); // nothing left to run, the lock is taken and released again
                }
            }
            // Device 0 stops while it holds the Liquibase lock (a crashed update): its lock must
            // not lock device 1 out of its own migrations.
            try (Connection c = devices.open(0); java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE DATABASECHANGELOGLOCK SET LOCKED = " + (kind == TwoDevices.Kind.SQLITE ? "1" : "TRUE")
                        + ", LOCKEDBY = 'device 0' WHERE ID = 1");
            }
            devices.converge();
            assertEquals(List.of("0"), devices.rows(1, "SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = "
                    + (kind == TwoDevices.Kind.SQLITE ? "1" : "TRUE")));
            for (int i = 0; i < 2; i++) {
                assertEquals(List.of("1|inbox"), devices.rows(i, "SELECT id, name FROM category"));
                assertEquals(List.of("task of device 0", "task of device 1"), devices.rows(i, "SELECT title FROM task ORDER BY title"));
                assertEquals(List.of("1", "2"), devices.rows(i, "SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED"));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void update(HikariDataSource ds, Path dir) throws Exception {
        try (Connection c = ds.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            try (Liquibase liquibase = new Liquibase("changelog.xml", new DirectoryResourceAccessor(dir), database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        }
    }
}
