package io.jdbcsync.bench;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A new device joining a group through the shared log from a snapshot of N rows, against a raw
 * JDBC copy of the same rows in the same run (read, batched inserts of 5,000 rows per
 * transaction). "Empty device": the newcomer holds nothing, the rows load in bulk; "device with a
 * row": the same join on a device that holds one row of its own, which sends the whole table
 * through the per-change integrator (the path every join took before bulk loading).
 * The shared log is a directory, or a bucket of an S3Proxy server (filesystem store) started in
 * this JVM on 127.0.0.1.
 * Usage: {@code SnapshotJoinBench [rows] [sqlite|mariadb|both] [dir|s3|both]} (default 200,000,
 * both, dir); {@code -Dbench.mariadb=jdbc:mariadb://host:3306/}, {@code -Dbench.rounds=2} (raw
 * copies and empty-device joins, best of), {@code -Dbench.integrator=false} to leave out the join
 * through the integrator.
 */
public final class SnapshotJoinBench {
    private static final String MARIADB = System.getProperty("bench.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
    private static final int CHUNK = 5000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final boolean INTEGRATOR = Boolean.parseBoolean(System.getProperty("bench.integrator", "true"));
    private static final String ACCESS_KEY = "AKIAJOINBENCH0000001";
    private static final String SECRET_KEY = "joinBench/Secret+Key/0000000000000000";
    private static final String BUCKET = "join-bench";
    private static URI s3;
    private static final String TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(60), qty INTEGER,"
            + " price DECIMAL(12,2), note VARCHAR(200))";

    private SnapshotJoinBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String kinds = args.length > 1 ? args[1] : "both";
        String logs = args.length > 2 ? args[2] : "dir";
        Path dir = Files.createTempDirectory("jdbc-sync-join-bench");
        System.out.printf("snapshot join bench: %,d rows, max heap %d MiB, best of %d, load average %s%n", rows,
                Runtime.getRuntime().maxMemory() >> 20, ROUNDS, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| database | log | join | rows | join (s) | rows/s | raw copy rows/s | ratio |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
        S3Proxy server = null;
        for (String log : new String[] {"dir", "s3"}) {
            if (!logs.equals("both") && !logs.equals(log)) {
                continue;
            }
            if (log.equals("s3") && server == null) {
                server = startS3(dir);
            }
            for (String kind : new String[] {"sqlite", "mariadb"}) {
                if (kinds.equals("both") || kinds.equals(kind)) {
                    run(kind, log, rows, dir);
                }
            }
        }
        System.out.printf("load average at the end %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        if (server != null) {
            server.stop();
        }
        System.exit(0); // S3Proxy's and the S3 client's idle threads
    }

    /** S3Proxy with a filesystem store under {@code dir}, and the bucket the logs go in. */
    private static S3Proxy startS3(Path dir) throws Exception {
        Properties store = new Properties();
        store.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir.resolve("s3proxy")).toString());
        store.setProperty("jclouds.identity", ACCESS_KEY);
        store.setProperty("jclouds.credential", SECRET_KEY);
        S3Proxy server = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", store))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .ignoreUnknownHeaders(true)
                .build();
        server.start();
        while (!"STARTED".equals(server.getState())) {
            Thread.sleep(10);
        }
        s3 = URI.create("http://127.0.0.1:" + server.getPort());
        try (S3Client client = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(s3).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        return server;
    }

    /** The sync options of a log: a directory under {@code dir}, or a prefix of the bucket. */
    private static Properties log(String log, String kind, Path dir) {
        Properties p = new Properties();
        String name = kind + "-log-" + UUID.randomUUID().toString().substring(0, 8);
        if (log.equals("dir")) {
            p.setProperty("sync.log", dir.resolve(name).toString());
        } else {
            p.setProperty("sync.log", "s3://" + BUCKET + "/" + name);
            p.setProperty("sync.s3.endpoint", s3.toString());
            p.setProperty("sync.s3.path-style", "true");
            p.setProperty("sync.s3.region", "us-east-1");
            p.setProperty("sync.s3.access-key", ACCESS_KEY);
            p.setProperty("sync.s3.secret-key", SECRET_KEY);
        }
        p.setProperty("sync.snapshot-every", "0"); // measured without automatic compaction
        return p;
    }

    private static void run(String kind, String logKind, int rows, Path dir) throws Exception {
        Properties log = log(logKind, kind, dir);
        String source = create(kind, dir);
        try (Connection c = DriverManager.getConnection(sync(source), log)) {
            exec(c, TABLE);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, qty, price, note) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "item " + i);
                    ps.setInt(3, i % 1000);
                    ps.setBigDecimal(4, BigDecimal.valueOf(i % 100_000, 2));
                    ps.setString(5, "a note of some length for row " + i);
                    ps.addBatch();
                    if (i % CHUNK == 0 || i == rows) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            exec(c, "CALL sync_now()");
            // One more batch: compaction keeps each device's newest batch, so this one stays out of the snapshot.
            exec(c, "INSERT INTO item (id, name, qty, price, note) VALUES (" + (rows + 1) + ", 'last', 0, 0, 'last')",
                    "CALL sync_now()", "CALL sync_compact()");
        }
        double raw = Double.MAX_VALUE;
        double bulk = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            String copy = create(kind, dir);
            exec(copy, TABLE);
            long t0 = System.nanoTime();
            rawCopy(source, copy);
            raw = Math.min(raw, (System.nanoTime() - t0) / 1e9);
            drop(copy);
            bulk = Math.min(bulk, join(kind, dir, log, rows, false));
        }
        report(kind, logKind, "empty device (bulk)", rows, bulk, raw);
        if (INTEGRATOR) {
            report(kind, logKind, "device with a row (integrator)", rows, join(kind, dir, log, rows, true), raw);
        }
        drop(source);
    }

    private static void report(String kind, String log, String join, int rows, double seconds, double raw) {
        System.out.printf("| %s | %s | %s | %,d | %.2f | %,.0f | %,.0f | %.2f |%n", kind, log, join, rows, seconds, rows / seconds,
                rows / raw, raw / seconds);
    }

    /** Seconds a new device takes to join (its first sync_now). */
    private static double join(String kind, Path dir, Properties log, int rows, boolean holdsARow) throws Exception {
        String db = create(kind, dir);
        try (Connection c = DriverManager.getConnection(sync(db), log)) {
            exec(c, TABLE);
            if (holdsARow) {
                exec(c, "INSERT INTO item (id, name, qty, price, note) VALUES (" + (rows + 1000) + ", 'own', 0, 0, 'own')");
            }
            long t0 = System.nanoTime();
            exec(c, "CALL sync_now()");
            double s = (System.nanoTime() - t0) / 1e9;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM item")) {
                rs.next();
                if (rs.getLong(1) != rows + 1 + (holdsARow ? 1 : 0)) {
                    throw new IllegalStateException("joined with " + rs.getLong(1) + " rows");
                }
            }
            return s;
        } finally {
            drop(db);
        }
    }

    private static void rawCopy(String from, String to) throws SQLException {
        try (Connection src = DriverManager.getConnection(from); Connection dst = DriverManager.getConnection(to);
             Statement s = src.createStatement();
             PreparedStatement ps = dst.prepareStatement("INSERT INTO item (id, name, qty, price, note) VALUES (?, ?, ?, ?, ?)")) {
            dst.setAutoCommit(false);
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery("SELECT id, name, qty, price, note FROM item ORDER BY id")) {
                int n = 0;
                while (rs.next()) {
                    for (int i = 1; i <= 5; i++) {
                        ps.setObject(i, rs.getObject(i));
                    }
                    ps.addBatch();
                    if (++n % CHUNK == 0) {
                        ps.executeBatch();
                        dst.commit();
                    }
                }
            }
            ps.executeBatch();
            dst.commit();
        }
    }

    private static String create(String kind, Path dir) throws SQLException {
        String name = "jsync_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        if (kind.equals("sqlite")) {
            return "jdbc:sqlite:" + dir.resolve(name + ".db") + "?journal_mode=WAL";
        }
        try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return MARIADB + name + "?user=root&password=";
    }

    private static void drop(String raw) throws Exception {
        if (raw.startsWith("jdbc:sqlite:")) {
            String file = raw.substring("jdbc:sqlite:".length(), raw.indexOf('?'));
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            return;
        }
        String name = raw.substring(MARIADB.length(), raw.indexOf('?'));
        try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private static String sync(String raw) {
        return "jdbc:sync:" + raw.substring("jdbc:".length());
    }

    private static void exec(String raw, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw)) {
            exec(c, sql);
        }
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
