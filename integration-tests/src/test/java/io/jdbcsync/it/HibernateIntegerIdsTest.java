package io.jdbcsync.it;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hibernate entities with {@code Integer} IDENTITY ids (INT AUTO_INCREMENT columns from hbm2ddl) on
 * two MariaDB devices: every id Hibernate reads back is the row's id, and the devices converge.
 */
class HibernateIntegerIdsTest {

    @Entity(name = "Author")
    @Table(name = "author")
    public static class Author {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Integer id;
        @Column(nullable = false, length = 60)
        String name;

        protected Author() {
        }

        Author(String name) {
            this.name = name;
        }
    }

    @Entity(name = "Book")
    @Table(name = "book")
    public static class Book {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Integer id;
        @Column(nullable = false, length = 60)
        String title;
        @ManyToOne(optional = false, fetch = FetchType.LAZY)
        @JoinColumn(name = "author_id")
        Author author;

        protected Book() {
        }

        Book(String title, Author author) {
            this.title = title;
            this.author = author;
        }
    }

    private record App(StandardServiceRegistry registry, SessionFactory sessions) implements AutoCloseable {
        @Override
        public void close() {
            sessions.close();
            StandardServiceRegistryBuilder.destroy(registry);
        }
    }

    private static App app(String url) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_JDBC_URL, url)
                .applySetting(AvailableSettings.CONNECTION_PROVIDER, HikariCPConnectionProvider.class.getName())
                .applySetting("hibernate.hikari.maximumPoolSize", "2")
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "create")
                .build();
        return new App(registry, new MetadataSources(registry).addAnnotatedClasses(Author.class, Book.class)
                .buildMetadata().buildSessionFactory());
    }

    private static void sync(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CALL sync_now()");
        }
    }

    @Test
    void integerIdentityIdsAreTheRowsIdsAndConvergeAcrossDevices() throws Exception {
        Path log = Files.createTempDirectory("jsync-it-log");
        try (ItDatabase a = ItDatabase.mariaDb(); ItDatabase b = ItDatabase.mariaDb()) {
            String urlA = a.syncUrl() + "&sync.log=" + log;
            String urlB = b.syncUrl() + "&sync.log=" + log;
            try (App appA = app(urlA); App appB = app(urlB)) {
                List<Integer> ids = new ArrayList<>();
                List<Integer> authorIds = new ArrayList<>();
                List<Integer> bookIds = new ArrayList<>();
                for (App app : List.of(appA, appB)) {
                    String device = app == appA ? "a" : "b";
                    app.sessions().inTransaction(s -> {
                        for (int i = 0; i < 3; i++) {
                            Author author = new Author(device + "-author-" + i);
                            s.persist(author);
                            ids.add(author.id);
                            authorIds.add(author.id);
                            for (int k = 0; k < 2; k++) {
                                Book book = new Book(device + "-book-" + i + "-" + k, author);
                                s.persist(book);
                                ids.add(book.id);
                                bookIds.add(book.id);
                            }
                        }
                    });
                }
                // The ids Hibernate holds are the ids in the rows (no silent truncation of a wide key).
                for (ItDatabase db : List.of(a, b)) {
                    try (Connection raw = db.openRaw(); Statement s = raw.createStatement();
                         ResultSet rs = s.executeQuery("SELECT id FROM author UNION ALL SELECT id FROM book")) {
                        while (rs.next()) {
                            assertTrue(ids.contains(rs.getInt(1)), "row id " + rs.getLong(1) + " known to Hibernate");
                        }
                    }
                }
                assertEquals(6, new HashSet<>(authorIds).size(), "author ids are unique across devices: " + authorIds);
                assertEquals(12, new HashSet<>(bookIds).size(), "book ids are unique across devices: " + bookIds);
                for (int round = 0; round < 2; round++) {
                    sync(urlA);
                    sync(urlB);
                }
                for (App app : List.of(appA, appB)) {
                    app.sessions().inSession(s -> {
                        List<Book> books = s.createQuery("from Book b join fetch b.author order by b.id", Book.class).getResultList();
                        assertEquals(12, books.size());
                        for (Book book : books) {
                            assertNotNull(book.author.name, "every book's author arrived");
                            assertTrue(book.title.startsWith(book.author.name.substring(0, 1)), book.title);
                        }
                        assertEquals(6, s.createQuery("select count(*) from Author", Long.class).getSingleResult());
                    });
                }
            }
        }
    }
}
