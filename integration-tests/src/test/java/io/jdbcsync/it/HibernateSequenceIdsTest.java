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
import org.hibernate.hikaricp.internal.HikariCPConnectionProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hibernate's {@code GenerationType.SEQUENCE} on MariaDB (a real {@code SEQUENCE} with
 * {@code INCREMENT BY 50} and the pooled optimizer) on two devices: the driver answers
 * {@code next value for} from its key blocks, so the ids Hibernate derives never collide.
 */
class HibernateSequenceIdsTest {

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

    private static SessionFactory app(String url, List<StandardServiceRegistry> registries) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_JDBC_URL, url)
                .applySetting(AvailableSettings.CONNECTION_PROVIDER, HikariCPConnectionProvider.class.getName())
                .applySetting("hibernate.hikari.maximumPoolSize", "2")
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "create")
                .build();
        registries.add(registry);
        return new MetadataSources(registry).addAnnotatedClass(Ticket.class).buildMetadata().buildSessionFactory();
    }

    @Test
    void sequenceIdsOfTwoDevicesNeverCollide() throws Exception {
        Path log = Files.createTempDirectory("jsync-it-log");
        List<StandardServiceRegistry> registries = new ArrayList<>();
        try (ItDatabase a = ItDatabase.mariaDb(); ItDatabase b = ItDatabase.mariaDb()) {
            String urlA = a.syncUrl() + "&sync.log=" + log;
            String urlB = b.syncUrl() + "&sync.log=" + log;
            try (SessionFactory appA = app(urlA, registries); SessionFactory appB = app(urlB, registries)) {
                List<Long> ids = new ArrayList<>();
                // 120 per device: the pooled optimizer asks for a new value every 50 ids.
                for (int round = 0; round < 3; round++) {
                    for (SessionFactory app : List.of(appA, appB)) {
                        String who = app == appA ? "a" : "b";
                        int r = round;
                        app.inTransaction(s -> {
                            for (int i = 0; i < 40; i++) {
                                Ticket t = new Ticket(who + r + "-" + i);
                                s.persist(t);
                                s.flush();
                                ids.add(t.id);
                            }
                        });
                    }
                }
                assertEquals(240, new HashSet<>(ids).size(), "no id issued twice: " + ids);
                for (int round = 0; round < 2; round++) {
                    for (String url : List.of(urlA, urlB)) {
                        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                            s.execute("CALL sync_now()");
                        }
                    }
                }
                for (SessionFactory app : List.of(appA, appB)) {
                    app.inSession(s -> assertEquals(240L,
                            s.createQuery("select count(*) from Ticket", Long.class).getSingleResult()));
                }
            } finally {
                registries.forEach(StandardServiceRegistryBuilder::destroy);
            }
        }
    }
}
