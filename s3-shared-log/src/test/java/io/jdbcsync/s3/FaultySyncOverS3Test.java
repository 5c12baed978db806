package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.BatchCipher;
import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.s3.FaultProxy.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sync of three devices through S3 while the fault proxy in front of S3Proxy throttles, stalls,
 * loses responses of stored batches and goes away. Syncs may fail meanwhile, but only with a clear
 * SQLException that {@code sync_status} also shows; once the faults stop, every device converges
 * to the expected rows, and every change a device made is in its batches exactly once.
 */
class FaultySyncOverS3Test {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    static final String PREFIX = "team/app";
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)";
    static final String LOCATION = "s3://shared-log/team/app";
    /** Short attempts and few retries, so that faults turn into failed syncs quickly. */
    static final String[] FAST_FAIL = {"sync.s3.max-attempts", "2", "sync.s3.timeout-ms", "1000"};

    @TempDir
    Path dir;

    private FaultProxy proxy;
    private S3Client raw;
    private final List<SyncDevice> devices = new ArrayList<>();
    /** The rows every device must end with: name to qty. */
    private final Map<String, Integer> expected = new TreeMap<>();
    /** Per device: its live rows, and the changes it made by kind. */
    private final List<List<String>> live = new ArrayList<>();
    private final List<Map<Op, Integer>> made = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        TestS3.createBucket(S3.getUri());
        raw = TestS3.rawClient(S3.getUri());
        proxy = new FaultProxy(S3.getUri());
    }

    @AfterEach
    void stop() throws Exception {
        for (SyncDevice d : devices) {
            d.close();
        }
        proxy.close();
        raw.close();
    }

    private SyncDevice device(String name, String... extra) throws SQLException {
        String[] all = new String[FAST_FAIL.length + extra.length];
        System.arraycopy(FAST_FAIL, 0, all, 0, FAST_FAIL.length);
        System.arraycopy(extra, 0, all, FAST_FAIL.length, extra.length);
        SyncDevice d = SyncDevice.open(dir.resolve(name + ".db"), SyncDevice.s3(proxy.uri(), PREFIX, all));
        d.exec(ITEM);
        devices.add(d);
        live.add(new ArrayList<>());
        made.add(new EnumMap<>(Map.of(Op.INSERT, 0, Op.UPDATE, 0, Op.DELETE, 0)));
        return d;
    }

    /** Device i inserts three rows, updates one of its older rows and deletes another. */
    private void change(int i, int round) throws SQLException {
        SyncDevice d = devices.get(i);
        List<String> mine = live.get(i);
        for (int k = 0; k < 3; k++) {
            String name = "d" + i + "-r" + round + "-" + k;
            d.exec("INSERT INTO item (name, qty) VALUES ('" + name + "', " + k + ")");
            mine.add(name);
            expected.put(name, k);
            made.get(i).merge(Op.INSERT, 1, Integer::sum);
        }
        if (mine.size() > 4) {
            String updated = mine.get(mine.size() - 4); // a row from an earlier round
            d.exec("UPDATE item SET qty = qty + 100 WHERE name = '" + updated + "'");
            expected.merge(updated, 100, Integer::sum);
            made.get(i).merge(Op.UPDATE, 1, Integer::sum);
            String deleted = mine.remove(0); // the oldest, never the one just updated
            d.exec("DELETE FROM item WHERE name = '" + deleted + "'");
            expected.remove(deleted);
            made.get(i).merge(Op.DELETE, 1, Integer::sum);
        }
    }

    /** Every device changes, then every device syncs; returns which syncs failed. */
    private List<Integer> round(int round, String... causes) throws SQLException {
        for (int i = 0; i < devices.size(); i++) {
            change(i, round);
        }
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            if (!trySync(i, causes)) {
                failed.add(i);
            }
        }
        return failed;
    }

    /** Syncs device i; a failure must be clear, name one of {@code causes}, and show in sync_status. */
    private boolean trySync(int i, String... causes) throws SQLException {
        SyncDevice d = devices.get(i);
        try {
            d.sync();
            assertNull(d.status().get("last_error"), "a successful sync clears last_error");
            return true;
        } catch (SQLException e) {
            String m = e.getMessage();
            failures.add("device " + i + ": " + m);
            assertTrue(m.startsWith("sync failed: S3 ") || m.startsWith("sync could not read the changes of device "), m);
            assertTrue(m.contains(LOCATION), "names the object or prefix: " + m);
            assertTrue(List.of(causes).stream().anyMatch(m::contains), "expected one of " + List.of(causes) + ": " + m);
            assertEquals("08006", e.getSQLState());
            assertEquals(m, d.status().get("last_error"));
            assertTrue(e.getCause() instanceof IOException, "the S3 failure is the cause");
            return false;
        }
    }

    private String path(int device) throws SQLException {
        return "/shared-log/" + PREFIX + "/devices/" + devices.get(device).id() + "/batches/";
    }

    @Test
    void devicesConvergeAndLoseNothingThroughS3Faults() throws Exception {
        device("a");
        device("b");
        device("c");

        assertEquals(List.of(), round(1), "no faults yet");

        // A throttling burst: two requests in a row fail twice, the third recovers on its retry.
        proxy.script(Fault.error(503, "SlowDown"), Fault.error(503, "SlowDown"),
                Fault.error(500, "InternalError"), Fault.error(500, "InternalError"),
                Fault.error(429, "TooManyRequests"));
        List<Integer> failed = round(2, "503 SlowDown after 2 attempts", "500 InternalError after 2 attempts");
        assertEquals(List.of(0, 1), failed, failures.toString());
        assertEquals(0, proxy.pendingFaults());

        // Stalls past the attempt timeout; the stalled requests still reach S3 later, so the
        // batch PUTs of device 1 that "timed out" are stored after all.
        proxy.script(Fault.delay(2_500), Fault.delay(2_500));
        proxy.scriptFor("^PUT " + path(1), Fault.delay(2_500), Fault.delay(2_500));
        failed = round(3, "no response within 1000 ms");
        assertEquals(List.of(0, 1), failed, failures.toString());

        // Responses lost after the batch was stored: one recovered within the sync, one only at
        // the next sync (its retry was throttled).
        proxy.scriptFor("^PUT " + path(1), Fault.dropResponse());
        proxy.scriptFor("^PUT " + path(2), Fault.dropResponse(), Fault.error(503, "SlowDown"));
        failed = round(4, "503 SlowDown after 2 attempts");
        assertEquals(List.of(2), failed, failures.toString());
        assertEquals(0, proxy.pendingFaults());

        // One device's batches cannot be read for a while: the others still sync.
        proxy.scriptFor("^GET " + path(0), Fault.error(500, "InternalError"), Fault.error(500, "InternalError"));
        failed = round(5, "500 InternalError after 2 attempts");
        assertEquals(1, failed.size(), failures.toString());
        assertTrue(failures.get(failures.size() - 1).contains(
                "sync could not read the changes of device " + devices.get(0).id() + " (S3 GET "), failures.toString());

        // The server is down for two rounds: connections are refused.
        proxy.stop();
        assertEquals(List.of(0, 1, 2), round(6, "connection failed (ConnectException: Connection refused)"));
        assertEquals(List.of(0, 1, 2), round(7, "connection failed (ConnectException: Connection refused)"));
        proxy.start();

        // Down again half-way through a round.
        change(0, 8);
        change(1, 8);
        change(2, 8);
        assertTrue(trySync(0));
        proxy.stop();
        assertTrue(!trySync(1, "Connection refused"));
        proxy.start();
        assertTrue(trySync(2));

        // Faults over: two rounds of syncs, all must succeed.
        proxy.clearScript();
        for (int r = 0; r < 2; r++) {
            for (SyncDevice d : devices) {
                d.sync();
            }
        }

        List<String> want = new ArrayList<>();
        expected.forEach((name, qty) -> want.add(name + "|" + qty));
        for (int i = 0; i < devices.size(); i++) {
            SyncDevice d = devices.get(i);
            assertEquals(want, d.rows("SELECT name, qty FROM item ORDER BY name"), "device " + i);
            assertEquals(devices.get(0).table("item"), d.table("item"), "device " + i + " differs (ids included)");
            assertEquals(0L, ((Number) d.status().get("pending_changes")).longValue());
            assertNull(d.status().get("last_error"));
        }
        for (int i = 0; i < devices.size(); i++) {
            assertExactlyOnce(i, new BatchCodec(null));
        }
        System.out.println("failed syncs during faults:\n  " + String.join("\n  ", failures));
    }

    /**
     * Device i's batches are numbered 1..n without gaps, and hold every change it made once:
     * no entry (by clock value) twice, and as many inserts, updates and deletes as it made.
     */
    private void assertExactlyOnce(int i, BatchCodec codec) throws Exception {
        String id = devices.get(i).id();
        List<Batch> batches = Bucket.batches(raw, PREFIX, id, codec);
        assertEquals(LongStream.rangeClosed(1, batches.size()).boxed().toList(),
                batches.stream().map(Batch::sequence).toList(), "consecutive batches of device " + i);
        Set<Long> clocks = new HashSet<>();
        Map<Op, Integer> ops = new EnumMap<>(Map.of(Op.INSERT, 0, Op.UPDATE, 0, Op.DELETE, 0));
        for (Batch b : batches) {
            for (LogEntry e : b.entries()) {
                if (!clocks.add(e.hlc())) {
                    fail("entry " + e.hlc() + " of device " + i + " pushed twice (again in batch " + b.sequence() + ")");
                }
                ops.merge(e.op(), 1, Integer::sum);
            }
        }
        assertEquals(made.get(i), ops, "changes of device " + i + " in its batches");
    }

    /**
     * With encryption, a batch re-sent at the next sync has other bytes (fresh IV) than the one
     * stored by the attempt whose response was lost; the engine recognises it by its entries.
     */
    @Test
    void encryptedBatchWhoseResponseWasLostIsRecognisedAtTheNextSync() throws Exception {
        String passphrase = "fault test passphrase";
        SyncDevice a = device("a", "sync.passphrase", passphrase);
        SyncDevice b = device("b", "sync.passphrase", passphrase);
        change(0, 1);
        a.sync();
        b.sync();

        change(0, 2); // three inserts, an update and a delete
        proxy.scriptFor("^PUT " + path(0), Fault.dropResponse(), Fault.error(503, "SlowDown"));
        assertTrue(!trySync(0, "503 SlowDown after 2 attempts"));
        String key = Bucket.batchPrefix(PREFIX, a.id()) + String.format("%020d", 2) + ".batch";
        byte[] stored = Bucket.get(raw, key);

        assertEquals(5, a.sync()[0], "the same five changes, pushed again");
        assertArrayEquals(stored, Bucket.get(raw, key), "the stored batch was not replaced");
        assertEquals(List.of(1L, 2L), Bucket.sequences(raw, PREFIX, a.id()));
        assertEquals(5, b.sync()[1]);
        assertEquals(a.table("item"), b.table("item"));
        try (S3SharedLog log = TestS3.open(S3.getUri(), Thread::sleep)) {
            assertExactlyOnce(0, new BatchCodec(BatchCipher.open(log, passphrase.toCharArray())));
        }
    }
}
