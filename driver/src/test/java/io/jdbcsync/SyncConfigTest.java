package io.jdbcsync;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options are read once into typed values at connect; the typed form shows no secret. */
class SyncConfigTest {

    @Test
    void defaultsAreTyped() throws SQLException {
        SyncConfig c = SyncOptions.from(Map.of(), Set.of()).config();
        assertNull(c.log());
        assertFalse(c.passUncapturable());
        assertEquals(4096, c.parseCacheSize());
        assertEquals(300_000L, c.maxClockDriftMs());
        assertEquals(0L, c.intervalMs());
        assertFalse(c.live());
        assertEquals(5000, c.batchMaxEntries());
        assertFalse(c.compactKeys());
        assertEquals(2, c.keySpareBlocks());
    }

    @Test
    void givenValuesAreParsedOnce() throws SQLException {
        SyncConfig c = SyncOptions.from(Map.of("sync.interval", "5m", "sync.retire-after", "30d", "SYNC.KEYS", "Compact",
                "sync.on-uncapturable", "PASS", "sync.live", "true", "sync.log", "/tmp/log"), Set.of()).config();
        assertEquals(300_000L, c.intervalMs());
        assertEquals(30L * 86_400_000L, c.retireAfterMs());
        assertTrue(c.compactKeys());
        assertTrue(c.passUncapturable());
        assertTrue(c.live());
        assertEquals("/tmp/log", c.log());
        assertEquals("/tmp/log", c.given().get("sync.log"));
    }

    @Test
    void aBadValueFailsBeforeAnyConfigExists() {
        SQLException e = assertThrows(SQLException.class,
                () -> SyncOptions.from(Map.of("sync.batch-max-entries", "many"), Set.of()));
        assertEquals("HY024", e.getSQLState());
        assertThrows(SQLException.class, () -> SyncOptions.from(Map.of("sync.no-such-option", "1"), Set.of()));
    }

    @Test
    void toStringHidesThePassphrase() throws SQLException {
        SyncConfig c = SyncOptions.from(Map.of("sync.passphrase", "correct horse"), Set.of()).config();
        assertEquals("correct horse", c.passphrase());
        assertFalse(c.toString().contains("correct horse"), c.toString());
    }
}
