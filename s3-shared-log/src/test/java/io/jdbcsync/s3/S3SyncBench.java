package io.jdbcsync.s3;

import io.jdbcsync.s3.FaultProxy.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Push and pull throughput of real sync through S3, next to the same run through a directory log.
 *
 * <p>Starts S3Proxy (filesystem store) on 127.0.0.1 with the request-counting proxy of the tests
 * in front (pass-through), then, for each log and round: device A inserts N rows through the
 * driver and pushes them ({@code CALL sync_now()}), device B pulls and integrates them, then B
 * syncs once more with nothing new. Logs take turns within each round, so that a busy moment on
 * the machine does not land on one log only; the table gives the median rate (and the range).
 * Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl s3-shared-log -am -Pbench -DskipTests test            (N = 100000, 3 rounds)
 * mvn -B -q -pl s3-shared-log -am -Pbench -DskipTests test -Dbench.changes=20000 -Dbench.rounds=1
 * </pre>
 */
public final class S3SyncBench {
    private static final String TABLE = "CREATE TABLE reading (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL,"
            + " taken_at TEXT NOT NULL, value REAL, note TEXT)";
    private static final int TRANSACTION_ROWS = 10_000;

    /** One push and pull through one log. */
    private record Run(double pushRate, double pullRate, long bytes, long objects, int pushRequests,
            int pullRequests, Map<Kind, Integer> push, Map<Kind, Integer> pull, Map<Kind, Integer> idle) {
    }

    private final Path work;
    private final int changes;
    private FaultProxy proxy;
    private URI s3Endpoint;
    private int databases;

    private S3SyncBench(Path work, int changes) {
        this.work = work;
        this.changes = changes;
    }

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("jdbc-sync-s3-bench");
        try {
            new S3SyncBench(work, changes).run(rounds);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // S3Proxy's and the SDK's idle threads
    }

    private void run(int rounds) throws Exception {
        Properties store = new Properties();
        Path blobs = Files.createDirectories(work.resolve("s3proxy"));
        store.setProperty("jclouds.filesystem.basedir", blobs.toString());
        store.setProperty("jclouds.identity", TestS3.ACCESS_KEY);
        store.setProperty("jclouds.credential", TestS3.SECRET_KEY);
        S3Proxy s3 = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", store))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, TestS3.ACCESS_KEY, TestS3.SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .ignoreUnknownHeaders(true)
                .build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) {
            Thread.sleep(10);
        }
        s3Endpoint = URI.create("http://127.0.0.1:" + s3.getPort());
        TestS3.createBucket(s3Endpoint);
        proxy = new FaultProxy(s3Endpoint);
        try {
            System.out.printf(Locale.ROOT, "%,d row changes (inserts), %d rounds, %s cores, Java %s, load average %s%n",
                    changes, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    loadAverage());
            // A short run first, so that the measured runs do not pay for class loading and JIT.
            new S3SyncBench(work, Math.min(changes, 20_000)).runOnce("warm-up", "bench/warmup", proxy, s3Endpoint,
                    SyncDevice.s3(proxy.uri(), "bench/warmup"), "warmup");

            Map<String, List<Run>> runs = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                String p = "bench/r" + round;
                Properties dir = new Properties();
                dir.setProperty("sync.log", work.resolve("dirlog-" + round).toString());
                runs.computeIfAbsent("S3 (S3Proxy, filesystem store)", k -> new ArrayList<>()).add(
                        runOnce("S3", p + "/plain", proxy, s3Endpoint, SyncDevice.s3(proxy.uri(), p + "/plain"),
                                "s3-" + round));
                runs.computeIfAbsent("S3, encrypted (sync.passphrase)", k -> new ArrayList<>()).add(
                        runOnce("S3 encrypted", p + "/encrypted", proxy, s3Endpoint, SyncDevice.s3(proxy.uri(),
                                p + "/encrypted", "sync.passphrase", "bench passphrase"), "s3e-" + round));
                runs.computeIfAbsent("directory log", k -> new ArrayList<>()).add(
                        runOnce("directory", null, proxy, s3Endpoint, dir, "dir-" + round));
            }
            System.out.println("load average at the end: " + loadAverage());
            System.out.println();
            System.out.println("| log | push changes/s | pull+integrate changes/s | bytes/change | requests/1,000 changes"
                    + " push | requests/1,000 changes pull | push requests | pull requests | nothing-new sync |");
            System.out.println("|---|---:|---:|---:|---:|---:|---|---|---|");
            runs.forEach((label, list) -> System.out.println(row(label, list)));
        } finally {
            proxy.close();
            s3.stop();
        }
    }

    private String row(String label, List<Run> runs) {
        Run last = runs.get(runs.size() - 1);
        boolean s3 = !last.push().isEmpty();
        return String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %s | %s | %s | %s |", label,
                median(runs.stream().mapToDouble(Run::pushRate).toArray()),
                median(runs.stream().mapToDouble(Run::pullRate).toArray()), (double) last.bytes() / changes,
                s3 ? String.format(Locale.ROOT, "%.2f", last.pushRequests() * 1000.0 / changes) : "-",
                s3 ? String.format(Locale.ROOT, "%.2f", last.pullRequests() * 1000.0 / changes) : "-",
                s3 ? brief(last.push()) : last.objects() + " files", s3 ? brief(last.pull()) : "-",
                s3 ? brief(last.idle()) : "-");
    }

    /** "median (min-max)", or the value alone for one run. */
    private static String median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        if (sorted.length == 1) {
            return String.format(Locale.ROOT, "%,.0f", median);
        }
        return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", median, sorted[0], sorted[sorted.length - 1]);
    }

    private Run runOnce(String label, String s3Prefix, FaultProxy counter, URI endpoint, Properties props,
            String name) throws Exception {
        props.setProperty("sync.snapshot-every", "0"); // requests and bytes measured without automatic compaction
        Path dbs = Files.createDirectories(work.resolve("db-" + name + "-" + (++databases)));
        try (SyncDevice a = SyncDevice.open(dbs.resolve("a.db"), props);
                SyncDevice b = SyncDevice.open(dbs.resolve("b.db"), props)) {
            a.exec(TABLE);
            b.exec(TABLE);
            // Both open their session (and derive the key, when encrypted) before the clock runs.
            a.sync();
            b.sync();
            long t0 = System.nanoTime();
            insert(a.connection());
            long t1 = System.nanoTime();

            int r0 = counter.requestCount();
            long[] push = a.sync();
            long t2 = System.nanoTime();
            int r1 = counter.requestCount();
            long[] pull = b.sync();
            long t3 = System.nanoTime();
            int r2 = counter.requestCount();
            b.sync();
            int r3 = counter.requestCount();
            if (push[0] != changes || pull[1] != changes || b.count("SELECT COUNT(*) FROM reading") != changes) {
                throw new IllegalStateException(label + ": pushed " + push[0] + ", pulled " + pull[1]);
            }

            String id = a.id();
            long bytes = 0;
            long objects = 0;
            if (s3Prefix != null) {
                try (S3Client raw = TestS3.rawClient(endpoint)) {
                    for (long size : Bucket.objects(raw, Bucket.batchPrefix(s3Prefix, id)).values()) {
                        bytes += size;
                        objects++;
                    }
                }
            } else {
                try (Stream<Path> files = Files.walk(Path.of(props.getProperty("sync.log")))) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        if (p.toString().endsWith(".batch") && p.toString().contains(id)) {
                            bytes += Files.size(p);
                            objects++;
                        }
                    }
                }
            }
            double pushSeconds = (t2 - t1) / 1e9;
            double pullSeconds = (t3 - t2) / 1e9;
            System.out.printf(Locale.ROOT, "%s: insert %.1f s (%,.0f/s), push %.1f s, pull %.1f s, %d batches,"
                    + " %,d bytes, load %s%n", label, (t1 - t0) / 1e9, changes / ((t1 - t0) / 1e9), pushSeconds,
                    pullSeconds, objects, bytes, loadAverage());
            boolean s3 = s3Prefix != null;
            return new Run(changes / pushSeconds, changes / pullSeconds, bytes, objects, r1 - r0, r2 - r1,
                    s3 ? counter.countsBetween(r0, r1) : Map.of(), s3 ? counter.countsBetween(r1, r2) : Map.of(),
                    s3 ? counter.countsBetween(r2, r3) : Map.of());
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String brief(Map<Kind, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((kind, n) -> {
            if (n > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(kind).append(' ').append(n);
            }
        });
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /**
     * Sensor readings: a sensor out of 1,000, a timestamp a second apart, a random double and, for
     * one row in five, a short note. Seeded, so every run inserts the same rows.
     */
    private void insert(Connection c) throws Exception {
        String[] notes = {"calibrated", "battery low", "moved to shelf 3", "reading checked by hand", "replaced"};
        Random random = new Random(4711);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reading (sensor, taken_at, value, note) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < changes; i++) {
                ps.setString(1, "sensor-" + random.nextInt(1_000));
                ps.setString(2, Instant.ofEpochSecond(1_735_689_600L + i).toString());
                ps.setDouble(3, random.nextGaussian() * 25 + 20);
                ps.setString(4, random.nextInt(5) == 0 ? notes[random.nextInt(notes.length)] : null);
                ps.executeUpdate();
                if ((i + 1) % TRANSACTION_ROWS == 0) {
                    c.commit();
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }
}
