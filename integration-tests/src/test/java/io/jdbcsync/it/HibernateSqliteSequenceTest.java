package io.jdbcsync.it;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hibernate's {@code GenerationType.SEQUENCE} on SQLite counts in a one-row table of its own
 * ({@code ticket_SEQ}): every device would hand out 1, 2, 3, so the driver refuses to take ids
 * from it, loudly, instead of letting rows collide after sync.
 */
class HibernateSqliteSequenceTest {

    @Entity(name = "Ticket")
    @Table(name = "ticket")
    public static class Ticket {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        Long id;
        @Column(nullable = false, length = 40)
        String label;

        protected Ticket() {
        }

        Ticket(String label) {
            this.label = label;
        }
    }

    @Test
    void sequenceIdsFromAnEmulationTableAreRefusedWithTheRemedy(@TempDir Path dir) throws Exception {
        String url = "jdbc:sync:sqlite:" + dir.resolve("app.db") + "?sync.log=" + dir.resolve("log");
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_JDBC_URL, url)
                .applySetting(AvailableSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect")
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "create")
                .build();
        try (SessionFactory app = new MetadataSources(registry).addAnnotatedClass(Ticket.class).buildMetadata()
                .buildSessionFactory()) {
            // Schema export's first row of ticket_SEQ is refused (Hibernate logs the driver's reason), so
            // no id is ever handed out: the first persist fails instead of colliding later.
            assertThrows(RuntimeException.class, () -> app.inTransaction(s -> {
                s.persist(new Ticket("first"));
                s.flush();
            }));
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate("insert into ticket_SEQ values ( 1 )"));
                assertTrue(refused.getMessage().contains("would collide across devices")
                        && refused.getMessage().contains("IDENTITY"), refused.getMessage());
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ticket")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
        }
    }
}
