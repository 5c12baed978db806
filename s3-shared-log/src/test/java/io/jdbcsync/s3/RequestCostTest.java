package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jdbcsync.s3.FaultProxy.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sync costs in S3 requests, counted by the fault proxy in pass-through mode (every
 * request the engine's S3 log sends, retries included, as S3 bills them).
 */
class RequestCostTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = TestS3.server();

    static final String PREFIX = "team/app";
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)";

    @TempDir
    Path dir;

    private FaultProxy proxy;
    private final List<SyncDevice> devices = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        TestS3.createBucket(S3.getUri());
        proxy = new FaultProxy(S3.getUri());
    }

    @AfterEach
    void stop() throws Exception {
        for (SyncDevice d : devices) {
            d.close();
        }
        proxy.close();
    }

    private SyncDevice device(String name) throws SQLException {
        SyncDevice d = SyncDevice.open(dir.resolve(name + ".db"),
                SyncDevice.s3(proxy.uri(), PREFIX, "sync.batch-max-entries", "1"));
        d.exec(ITEM);
        devices.add(d);
        return d;
    }

    /** The requests one sync of {@code d} sends, by kind. */
    private Map<Kind, Integer> measure(SyncDevice d) throws SQLException {
        int from = proxy.requestCount();
        d.sync();
        return proxy.countsSince(from);
    }

    private static void insert(SyncDevice d, int rows) throws SQLException {
        String[] sql = new String[rows];
        for (int i = 0; i < rows; i++) {
            sql[i] = "INSERT INTO item (name, qty) VALUES ('row', " + i + ")";
        }
        d.transaction(sql);
    }

    private static Map<Kind, Integer> counts(int put, int get, int list) {
        Map<Kind, Integer> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, 0);
        }
        m.put(Kind.PUT, put);
        m.put(Kind.GET, get);
        m.put(Kind.LIST, list);
        return m;
    }

    @Test
    void syncCostsABoundedNumberOfRequestsWhateverTheHistory() throws Exception {
        SyncDevice a = device("a");
        List<SyncDevice> remotes = List.of(device("b"), device("c"), device("d"));
        for (SyncDevice r : remotes) {
            insert(r, 1);
            r.sync();
        }
        a.sync();

        // Nothing new, on a device that knows 3 remote devices with one batch each: one listing
        // of the devices and one (empty, start-after the cursor) listing per remote device.
        Map<Kind, Integer> short1 = measure(a);
        assertEquals(counts(0, 0, 4), short1);

        // 10 more batches per device (and 10 of a's own): the same cost.
        insert(a, 10);
        for (SyncDevice r : remotes) {
            insert(r, 10);
            r.sync();
        }
        a.sync();
        Map<Kind, Integer> long1 = measure(a);
        assertEquals(short1, long1);

        // The same count from the log's own counter, replaying the puller's calls for that sync:
        // list the devices, then list each remote's batches after the last one integrated.
        try (S3SharedLog log = TestS3.open(S3.getUri(), Thread::sleep)) {
            for (String remote : log.listDevices()) {
                if (!remote.equals(a.id())) {
                    long cursor = a.count("SELECT sequence FROM _sync_cursor WHERE device = '" + remote + "'");
                    assertEquals(11, cursor);
                    assertEquals(List.of(), log.listBatches(remote, cursor, 256));
                }
            }
            assertEquals(Map.of("PUT", 0L, "GET", 0L, "LIST", 4L, "DELETE", 0L, "HEAD", 0L), log.requestCounts());
        }

        // The first sync after (re)connecting also reads the log's key info once.
        a.close();
        a.open();
        Map<Kind, Integer> reconnect = measure(a);
        assertEquals(counts(0, 1, 4), reconnect);

        // A typical sync: push one batch, pull one batch from each of two devices (the third has
        // nothing new). Each remote is listed once (a short page is the end). Being the first push
        // since reconnecting, it also lists
        // its own batches once (a restored or copied database would find newer ones there), and
        // as its progress changed it publishes it: one more PUT.
        insert(a, 1);
        insert(remotes.get(0), 1);
        remotes.get(0).sync();
        insert(remotes.get(1), 1);
        remotes.get(1).sync();
        Map<Kind, Integer> typical = measure(a);
        assertEquals(counts(2, 2, 1 + 1 + 3), typical);

        System.out.println("requests per sync (PUT GET LIST DELETE HEAD OTHER):"
                + "\n  nothing new, 3 remotes, 1 batch each:    " + short1.values()
                + "\n  nothing new, 3 remotes, 11 batches each: " + long1.values()
                + "\n  first sync after reconnect, nothing new: " + reconnect.values()
                + "\n  push 1 batch, pull 1 from each of 2:     " + typical.values());
    }

    /** The proxy tells request kinds apart the way S3 bills them. */
    @Test
    void requestKindsAreToldApart() {
        assertEquals(Kind.LIST, Kind.of("GET /shared-log?list-type=2&prefix=team%2Fapp%2F"));
        assertEquals(Kind.LIST, Kind.of("GET /shared-log/?delimiter=%2F&list-type=2"));
        assertEquals(Kind.GET, Kind.of("GET /shared-log/team/app/objects/keyinfo"));
        assertEquals(Kind.PUT, Kind.of("PUT /shared-log/team/app/devices/x/batches/00000000000000000001.batch"));
        assertEquals(Kind.DELETE, Kind.of("POST /shared-log?delete"));
        assertEquals(Kind.DELETE, Kind.of("DELETE /shared-log/team/app/objects/x"));
    }
}
