package io.jdbcsync.it;

import io.jdbcsync.internal.clock.KeyGenerator;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StaleStateException;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.hikaricp.internal.HikariCPConnectionProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hibernate ORM on MariaDB through {@code jdbc:sync:mariadb:}, bootstrapped natively with the
 * HikariCP provider, schema from hbm2ddl. The steps build on each other (one app's lifetime),
 * hence the method order; each checks the change log after its transactions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HibernateMariaDbTest {
    /** Driver-issued ids put milliseconds since 2025 above bit 22: any id issued now is far above this. */
    private static final long LARGE = 1L << 40;

    @Entity(name = "Customer")
    @Table(name = "customer")
    public static class Customer {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        @Version
        int version;
        @Column(nullable = false, length = 80)
        String name;
        @Column(length = 120)
        String email;

        protected Customer() {
        }

        Customer(String name) {
            this.name = name;
        }
    }

    /** The parent of the parent/child pair: owns its lines, which live and die with it. */
    @Entity(name = "PurchaseOrder")
    @Table(name = "purchase_order")
    public static class PurchaseOrder {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        @ManyToOne(optional = false, fetch = FetchType.LAZY)
        @JoinColumn(name = "customer_id")
        Customer customer;
        @Column(nullable = false)
        LocalDate placedOn;
        @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
        @OrderBy("id")
        List<OrderLine> lines = new ArrayList<>();

        protected PurchaseOrder() {
        }

        PurchaseOrder(Customer customer, LocalDate placedOn) {
            this.customer = customer;
            this.placedOn = placedOn;
        }

        OrderLine add(String product, int quantity, String price) {
            OrderLine l = new OrderLine(this, product, quantity, new BigDecimal(price));
            lines.add(l);
            return l;
        }

        OrderLine line(String product) {
            return lines.stream().filter(l -> l.product.equals(product)).findFirst().orElseThrow();
        }
    }

    @Entity(name = "OrderLine")
    @Table(name = "order_line")
    public static class OrderLine {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        @ManyToOne(optional = false, fetch = FetchType.LAZY)
        @JoinColumn(name = "order_id")
        PurchaseOrder order;
        @Column(nullable = false, length = 40)
        String product;
        int quantity;
        @Column(precision = 10, scale = 2)
        BigDecimal price;

        protected OrderLine() {
        }

        OrderLine(PurchaseOrder order, String product, int quantity, BigDecimal price) {
            this.order = order;
            this.product = product;
            this.quantity = quantity;
            this.price = price;
        }
    }

    private ItDatabase db;
    private StandardServiceRegistry registry;
    private SessionFactory sessions;
    private long startedAt;
    private Long ada;
    private Long bob;
    private Long cy;
    private Long order;
    private final List<Long> lineIds = new ArrayList<>();

    @BeforeAll
    void boot() {
        startedAt = System.currentTimeMillis();
        db = ItDatabase.mariaDb();
        registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_JDBC_URL, db.syncUrl())
                .applySetting(AvailableSettings.CONNECTION_PROVIDER, HikariCPConnectionProvider.class.getName())
                .applySetting("hibernate.hikari.maximumPoolSize", "2")
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "create")
                // -Dit.showSql=true prints the SQL Hibernate sends (plain INSERT/UPDATE/DELETE, keys via getGeneratedKeys).
                .applySetting(AvailableSettings.SHOW_SQL, Boolean.getBoolean("it.showSql"))
                .build();
        sessions = new MetadataSources(registry)
                .addAnnotatedClasses(Customer.class, PurchaseOrder.class, OrderLine.class)
                .buildMetadata()
                .buildSessionFactory();
    }

    @AfterAll
    void shutDown() throws Exception {
        try {
            if (sessions != null) {
                sessions.close();
            }
        } finally {
            // Null when MariaDB was missing: the failure to report is the one from boot().
            if (registry != null) {
                StandardServiceRegistryBuilder.destroy(registry);
            }
            if (db != null) {
                db.close();
            }
        }
    }

    @Test
    @Order(1)
    void persistGetsDriverIdsAndLogsEveryRow() throws Exception {
        inTransaction(s -> {
            Customer a = new Customer("ada");
            Customer b = new Customer("bob");
            Customer c = new Customer("cy");
            s.persist(a);
            s.persist(b);
            s.persist(c);
            PurchaseOrder o = new PurchaseOrder(a, LocalDate.of(2025, 3, 14));
            o.add("pen", 2, "1.50");
            o.add("ink", 1, "7.25");
            o.add("pad", 5, "3.00");
            s.persist(o);
            s.flush();
            ada = a.id;
            bob = b.id;
            cy = c.id;
            order = o.id;
            o.lines.forEach(l -> lineIds.add(l.id));
        });

        List<Long> all = new ArrayList<>(List.of(ada, bob, cy, order));
        all.addAll(lineIds);
        for (long id : all) {
            assertTrue(id > LARGE, "id " + id + " is not a driver-issued id");
            // The id's time part is now: it came from this device's key generator, not AUTO_INCREMENT.
            long issuedAt = KeyGenerator.millisOf(id);
            assertTrue(issuedAt >= startedAt - 1_000 && issuedAt <= System.currentTimeMillis() + 60_000,
                    "id " + id + " was issued at " + issuedAt);
        }
        assertEquals(all.size(), new HashSet<>(all).size(), "ids are unique across tables");
        assertTrue(ada < bob && bob < cy, "ids follow insert order");

        ChangeLog log = db.log();
        assertEquals("customer I=3; order_line I=3; purchase_order I=1", log.summary());
        // The log's keys are the ids the app got back, and it carries the stored row.
        assertEquals(List.of(ada, bob, cy), log.keys("customer", 'I'));
        assertEquals(List.of(order), log.keys("purchase_order", 'I'));
        assertEquals(lineIds, log.keys("order_line", 'I'));
        ChangeLog.Entry pen = log.of("order_line", 'I').get(0);
        assertEquals("pen", pen.value("product"));
        assertEquals(order, pen.value("order_id"));
        assertEquals(0, new BigDecimal("1.50").compareTo((BigDecimal) pen.value("price")));

        // Each log entry belongs to the statement that made it: the parent row is logged before its lines.
        assertTrue(log.of("purchase_order", 'I').get(0).hlc() < pen.hlc());

        inSession(s -> {
            Customer a = s.find(Customer.class, ada);
            assertEquals("ada", a.name);
            PurchaseOrder o = s.find(PurchaseOrder.class, order);
            assertEquals(ada, o.customer.id);
            assertEquals(LocalDate.of(2025, 3, 14), o.placedOn);
            assertEquals(List.of("pen", "ink", "pad"), o.lines.stream().map(l -> l.product).toList());
            assertEquals(lineIds, o.lines.stream().map(l -> l.id).toList());
        });
    }

    @Test
    @Order(2)
    void dirtyCheckingOrphanRemovalAndNewChild() throws Exception {
        Long[] capId = new Long[1];
        inTransaction(s -> {
            Customer b = s.find(Customer.class, bob);
            b.email = "bob@example.org";
            PurchaseOrder o = s.find(PurchaseOrder.class, order);
            o.line("ink").quantity = 3;
            o.lines.remove(o.line("pad"));
            OrderLine cap = o.add("cap", 4, "0.99");
            s.flush();
            capId[0] = cap.id;
        });
        assertTrue(capId[0] > lineIds.get(2), "a later insert gets a larger id");

        ChangeLog log = db.log();
        assertEquals("customer I=3 U=1; order_line I=4 U=1 D=1; purchase_order I=1", log.summary());
        ChangeLog.Entry email = log.of("customer", 'U').get(0);
        assertEquals(bob, email.key()[0]);
        assertEquals("bob@example.org", email.value("email"));
        assertEquals(1L, ((Number) email.value("version")).longValue());
        assertEquals(lineIds.get(1), log.keys("order_line", 'U').get(0));
        assertEquals(3L, ((Number) log.of("order_line", 'U').get(0).value("quantity")).longValue());
        assertEquals(List.of(lineIds.get(2)), log.keys("order_line", 'D'));
        assertEquals(capId[0], log.keys("order_line", 'I').get(3));
        lineIds.set(2, capId[0]);

        inSession(s -> {
            PurchaseOrder o = s.find(PurchaseOrder.class, order);
            assertEquals(List.of("pen", "ink", "cap"), o.lines.stream().map(l -> l.product).toList());
            assertEquals(3, o.line("ink").quantity);
            assertEquals("bob@example.org", s.find(Customer.class, bob).email);
        });
    }

    @Test
    @Order(3)
    void bulkHqlUpdateLogsEveryMatchedRow() throws Exception {
        int[] changed = new int[1];
        inTransaction(s -> changed[0] = s.createMutationQuery(
                "update Customer c set c.name = upper(c.name) where c.email is null").executeUpdate());
        assertEquals(2, changed[0]);

        ChangeLog log = db.log();
        assertEquals("customer I=3 U=3; order_line I=4 U=1 D=1; purchase_order I=1", log.summary());
        // The database computed the new names; the log holds what it stored.
        List<ChangeLog.Entry> upper = log.of("customer", 'U').subList(1, 3);
        assertEquals(Set.of(ada, cy), Set.of(upper.get(0).key()[0], upper.get(1).key()[0]));
        for (ChangeLog.Entry e : upper) {
            assertEquals(e.key()[0].equals(ada) ? "ADA" : "CY", e.value("name"));
        }
    }

    @Test
    @Order(4)
    void staleVersionFailsAndLogsNothing() throws Exception {
        int before = db.log().size();
        try (Session stale = sessions.openSession()) {
            Customer old = stale.find(Customer.class, cy);
            inTransaction(s -> s.find(Customer.class, cy).email = "cy@example.org");

            stale.getTransaction().begin();
            old.name = "Cy";
            RuntimeException e = assertThrows(RuntimeException.class, () -> stale.getTransaction().commit());
            assertTrue(e instanceof OptimisticLockException || e.getCause() instanceof StaleStateException
                    || e instanceof StaleStateException, "optimistic lock failure expected, got " + e);
            if (stale.getTransaction().isActive()) {
                stale.getTransaction().rollback();
            }
        }
        ChangeLog log = db.log();
        assertEquals(before + 1, log.size(), "only the winning update is logged");
        assertEquals("cy@example.org", log.entries().get(log.size() - 1).value("email"));
        inSession(s -> assertEquals("CY", s.find(Customer.class, cy).name));
    }

    @Test
    @Order(5)
    void deletesCascadeToChildren() throws Exception {
        inTransaction(s -> {
            s.remove(s.find(Customer.class, cy));
            s.remove(s.find(PurchaseOrder.class, order));
        });

        ChangeLog log = db.log();
        assertEquals("customer I=3 U=4 D=1; order_line I=4 U=1 D=4; purchase_order I=1 D=1", log.summary());
        assertEquals(List.of(cy), log.keys("customer", 'D'));
        assertEquals(List.of(order), log.keys("purchase_order", 'D'));
        assertEquals(Set.copyOf(lineIds), Set.copyOf(log.keys("order_line", 'D').subList(1, 4)));

        inSession(s -> {
            assertNull(s.find(Customer.class, cy));
            assertNull(s.find(PurchaseOrder.class, order));
            assertEquals("ADA", s.find(Customer.class, ada).name);
            assertNotNull(s.find(Customer.class, bob));
            assertEquals(0L, s.createSelectionQuery("select count(*) from OrderLine", Long.class).getSingleResult());
        });

        // The driver's own view agrees with the log, and every app table is synced.
        try (Connection c = DriverManager.getConnection(db.syncUrl());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("CALL sync_status()")) {
            assertTrue(rs.next());
            assertEquals(log.size(), rs.getLong("pending_changes"));
            assertEquals(Set.of("customer", "order_line", "purchase_order"),
                    Set.of(rs.getString("synced_tables").toLowerCase(Locale.ROOT).split(",")));
            assertEquals("", rs.getString("unsynced_tables"));
        }
    }

    private void inTransaction(Consumer<Session> work) {
        sessions.inTransaction(work);
    }

    private void inSession(Consumer<Session> work) {
        try (Session s = sessions.openSession()) {
            work.accept(s);
        }
    }
}
