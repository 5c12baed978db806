package io.jdbcsync.internal.keys;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Sakila-shaped schema (TINYINT, SMALLINT and INT keys with foreign keys between them) used as
 * is, on two MariaDB devices and a SQLite device in compact mode, all inserting the same kinds of
 * rows offline from one another, then converging with every foreign key intact.
 */
class SakilaSchemaTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE language (language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name CHAR(20) NOT NULL)",
        "CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL)",
        "CREATE TABLE film (film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(128) NOT NULL,"
            + " language_id TINYINT UNSIGNED NOT NULL,"
            + " CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id))",
        "CREATE TABLE film_actor (actor_id SMALLINT UNSIGNED NOT NULL, film_id SMALLINT UNSIGNED NOT NULL,"
            + " PRIMARY KEY (actor_id, film_id),"
            + " CONSTRAINT fk_film_actor_actor FOREIGN KEY (actor_id) REFERENCES actor (actor_id),"
            + " CONSTRAINT fk_film_actor_film FOREIGN KEY (film_id) REFERENCES film (film_id))",
        "CREATE TABLE customer (customer_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " first_name VARCHAR(45) NOT NULL, email VARCHAR(50))",
        "CREATE TABLE rental (rental_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " customer_id SMALLINT UNSIGNED NOT NULL, film_id SMALLINT UNSIGNED NOT NULL,"
            + " CONSTRAINT fk_rental_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id),"
            + " CONSTRAINT fk_rental_film FOREIGN KEY (film_id) REFERENCES film (film_id))",
        "CREATE TABLE payment (payment_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " rental_id INT NOT NULL, amount DECIMAL(5,2) NOT NULL,"
            + " CONSTRAINT fk_payment_rental FOREIGN KEY (rental_id) REFERENCES rental (rental_id))",
    };

    /** The SQLite version of the same schema: INTEGER PRIMARY KEY instead of AUTO_INCREMENT. */
    private static String[] sqliteSchema() {
        String[] out = new String[SCHEMA.length];
        for (int i = 0; i < SCHEMA.length; i++) {
            out[i] = SCHEMA[i].replace(" NOT NULL AUTO_INCREMENT PRIMARY KEY", " PRIMARY KEY");
        }
        return out;
    }

    private static int insert(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                return k.next() ? k.getInt(1) : -1;
            }
        }
    }

    /** What a rental desk app does: a language, actors, films, cast, customers, rentals, payments. */
    private static void workload(Connection c, String who) throws Exception {
        int language = insert(c, "INSERT INTO language (name) VALUES (?)", "lang-" + who);
        List<Integer> actors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            actors.add(insert(c, "INSERT INTO actor (first_name, last_name) VALUES (?, ?)", "a" + i, who));
        }
        List<Integer> films = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int film = insert(c, "INSERT INTO film (title, language_id) VALUES (?, ?)", who + "-film-" + i, language);
            films.add(film);
            for (int a = 0; a <= i; a++) {
                insert(c, "INSERT INTO film_actor (actor_id, film_id) VALUES (?, ?)", actors.get(a), film);
            }
        }
        for (int i = 0; i < 3; i++) {
            int customer = insert(c, "INSERT INTO customer (first_name, email) VALUES (?, ?)", "c" + i, who + i + "@example.org");
            for (int film : films) {
                int rental = insert(c, "INSERT INTO rental (customer_id, film_id) VALUES (?, ?)", customer, film);
                insert(c, "INSERT INTO payment (rental_id, amount) VALUES (?, ?)", rental, new java.math.BigDecimal("2.99"));
            }
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSakilaShapedSchemaSyncsUnchangedAcrossThreeDevices() throws Exception {
        Properties compact = new Properties();
        compact.setProperty("sync.keys", "compact"); // the SQLite device keeps its keys within the declared types
        try (Fleet fleet = new Fleet(List.of(Kind.MARIADB, Kind.MARIADB, Kind.SQLITE), null, compact)) {
            fleet.exec(0, SCHEMA);
            fleet.exec(1, SCHEMA);
            fleet.exec(2, sqliteSchema());
            fleet.syncAll(); // every device holds spare blocks from here on
            for (int round = 0; round < 2; round++) {
                for (int d = 0; d < 3; d++) {
                    workload(fleet.device(d), "d" + d + "r" + round);
                }
                fleet.syncAll();
            }
            String[][] tables = {{"language", "language_id"}, {"actor", "actor_id"}, {"film", "film_id"},
                {"film_actor", "actor_id, film_id"}, {"customer", "customer_id"}, {"rental", "rental_id"},
                {"payment", "payment_id"}};
            long[] expected = {6, 30, 24, 60, 18, 72, 72};
            for (int t = 0; t < tables.length; t++) {
                List<String> first = fleet.rows(0, tables[t][0], tables[t][1]);
                assertEquals(expected[t], first.size(), tables[t][0]);
                for (int d = 1; d < 3; d++) {
                    assertEquals(first, fleet.rows(d, tables[t][0], tables[t][1]), tables[t][0] + " on device " + d);
                }
            }
            for (int d = 0; d < 3; d++) {
                Connection c = fleet.device(d);
                assertEquals(0, count(c, "SELECT COUNT(*) FROM film f LEFT JOIN language l ON l.language_id = f.language_id"
                        + " WHERE l.language_id IS NULL"));
                assertEquals(0, count(c, "SELECT COUNT(*) FROM payment p LEFT JOIN rental r ON r.rental_id = p.rental_id"
                        + " WHERE r.rental_id IS NULL"));
                assertEquals(0, count(c, "SELECT COUNT(*) FROM film_actor fa LEFT JOIN actor a ON a.actor_id = fa.actor_id"
                        + " WHERE a.actor_id IS NULL"));
                assertEquals(0, count(c, "SELECT COUNT(*) FROM rental r LEFT JOIN customer cu ON cu.customer_id = r.customer_id"
                        + " WHERE cu.customer_id IS NULL"));
                assertTrue(count(c, "SELECT MAX(language_id) FROM language") <= 255);
                assertTrue(count(c, "SELECT MAX(actor_id) FROM actor") <= 65_535);
                assertEquals(0, count(c, "SELECT COUNT(*) FROM _sync_conflict"));
            }
        }
    }
}
