package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.RawClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thousand clients logged in and idle hold no backend connection and no thread of their own,
 * in bounded memory; then every one of them runs a query over a pool of ten backend connections,
 * and once they are quiet again they hold no thread either.
 */
class IdleConnectionsTest {
    private static final int CLIENTS = 1000;
    private static final int BACKEND = 10;

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            Runtime r = Runtime.getRuntime();
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }

    @Test
    void aThousandIdleClientsShareTenBackendConnections() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withLimits(CLIENTS + 10, Duration.ofSeconds(30), Duration.ofHours(1), 1 << 24)
                        .withBackend(BACKEND, true))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                long heapBefore = heapAfterGc();
                int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
                for (int i = 0; i < CLIENTS; i++) {
                    RawClient c = new RawClient(proxy.port());
                    clients.add(c);
                    byte[] ok = c.login(RunningProxy.USER, RunningProxy.PASSWORD, proxy.database(), 0);
                    assertEquals(0, ok[0], () -> "login failed: " + new String(ok, StandardCharsets.UTF_8));
                }
                assertEquals(CLIENTS, proxy.server().sessions());
                assertEquals(0, proxy.server().backendInUse(), "idle sessions hold no backend connection");
                int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
                long perClient = (heapAfterGc() - heapBefore) / CLIENTS;
                // The heap also holds the test's own client side of each connection: an upper bound.
                System.out.printf("%d idle clients: %d more threads, %d heap bytes per client (proxy and test client)%n",
                        CLIENTS, threads, perClient);
                assertTrue(threads < 50, "threads do not grow with idle clients: " + threads);
                assertTrue(perClient < 64 * 1024, "bounded memory per idle client: " + perClient);

                // Now every client runs a query, eight at a time, over the ten backend connections.
                ExecutorService runners = Executors.newFixedThreadPool(8);
                try {
                    List<Future<String>> answers = new ArrayList<>();
                    for (int i = 0; i < CLIENTS; i++) {
                        RawClient c = clients.get(i);
                        int n = i;
                        answers.add(runners.submit(() -> {
                            c.query("SELECT " + n);
                            c.readUntilEnd();
                            List<byte[]> rows = c.readUntilEnd();
                            return new String(rows.get(0), 1, rows.get(0)[0], StandardCharsets.UTF_8);
                        }));
                    }
                    for (int i = 0; i < CLIENTS; i++) {
                        assertEquals(String.valueOf(i), answers.get(i).get(60, TimeUnit.SECONDS));
                    }
                } finally {
                    runners.shutdownNow();
                }
                assertTrue(proxy.server().backendInUse() <= BACKEND, "the pool is never exceeded");

                // Active sessions' workers read their sockets (a bounded number at a time); quiet
                // again, they go back to the event loops, and idle pool threads end after 5 s.
                Thread.sleep(2 * WorkerReads.QUIET / 1_000_000);
                int threadsAfter = Integer.MAX_VALUE;
                for (int i = 0; i < 200 && threadsAfter >= 50; i++) {
                    Thread.sleep(100);
                    threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
                }
                long perClientAfter = (heapAfterGc() - heapBefore) / CLIENTS;
                System.out.printf("%d clients idle again after a query each: %d more threads, %d heap bytes per client%n",
                        CLIENTS, threadsAfter, perClientAfter);
                proxy.awaitBackendInUse(0, "idle again, no backend connection held");
                assertTrue(threadsAfter < 50, "no thread per once-active idle session: " + threadsAfter);
                assertTrue(perClientAfter < 64 * 1024, "bounded memory per idle client after activity: " + perClientAfter);
                // Each one still answers, read by its event loop again.
                for (int i = 0; i < CLIENTS; i += 100) {
                    clients.get(i).query("SELECT " + i);
                    clients.get(i).readUntilEnd();
                    byte[] row = clients.get(i).readUntilEnd().get(0);
                    assertEquals(String.valueOf(i), new String(row, 1, row[0], StandardCharsets.UTF_8));
                }
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }
}
