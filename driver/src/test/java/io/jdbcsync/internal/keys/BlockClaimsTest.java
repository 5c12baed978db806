package io.jdbcsync.internal.keys;

import io.jdbcsync.internal.log.SharedLogs;
import io.jdbcsync.spi.SharedLog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims racing through one shared log never hand one block to two owners. */
class BlockClaimsTest {

    @Test
    void racingDevicesClaimDisjointBlocksOnOneGrid() throws Exception {
        Path dir = Files.createTempDirectory("jdbc-sync-claims");
        KeySpace space = new KeySpace("Item", "id", 2_147_483_647L);
        int devices = 4;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        List<Future<List<Block>>> results = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            String device = "device" + d + "aaaaaaaaa";
            results.add(pool.submit(() -> {
                List<Block> mine = new ArrayList<>();
                try (SharedLog log = SharedLogs.open(dir.toString(), Map.of())) {
                    for (int r = 0; r < rounds; r++) {
                        // A fresh claimer each round knows nothing yet, as a new session would.
                        mine.addAll(new BlockClaims(log, device, 0).claim(space, 0, 1));
                    }
                    assertEquals(rounds, new BlockClaims(log, device, 0).ownClaims(space).size());
                }
                return mine;
            }));
        }
        Set<Long> indexes = new TreeSet<>();
        for (Future<List<Block>> f : results) {
            for (Block b : f.get()) {
                assertTrue(indexes.add(b.index()), "block " + b.index() + " claimed twice");
                assertEquals(1024, b.last() - b.first() + 1);
                assertEquals(b.index() * 1024 + 1, b.first());
            }
        }
        pool.shutdown();
        assertEquals(devices * rounds, indexes.size());
        assertEquals(devices * rounds - 1L, ((TreeSet<Long>) indexes).last(), "claims stay dense from the bottom");
    }

    @Test
    void claimsGoAboveTheFloorAndStopAtTheEndOfTheSpace() throws Exception {
        Path dir = Files.createTempDirectory("jdbc-sync-claims");
        KeySpace tiny = new KeySpace("flag", "id", 127);
        try (SharedLog log = SharedLogs.open(dir.toString(), Map.of())) {
            BlockClaims claims = new BlockClaims(log, "aaaaaaaaaaaaaaaa", 0);
            // 127 ids: blocks of one id each (at least 64 blocks fit any column).
            List<Block> got = claims.claim(tiny, 120, 10);
            assertEquals(7, got.size(), "only the ids above 120 remain: " + got);
            assertEquals(121, got.get(0).first());
            assertEquals(127, got.get(6).last());
            KeySpaceExhaustedException e = assertThrows(KeySpaceExhaustedException.class, () -> claims.claim(tiny, 0, 1));
            assertEquals("22003", e.getSQLState());
        }
    }
}
