package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.value.ValueCodec;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading a batch's versions gives the same answer whether one range read covers the batch's keys
 * or the range holds too many other rows and the keys are read by key; damage in a row of the
 * batch is reported either way, damage in another row of the range is not read.
 */
class VersionStoreTest {
    private static final String TABLE = "item";

    private static byte[] key(String k) {
        return ValueCodec.encodeKey(k);
    }

    /** 200 keys "k000".."k199"; versions stored for the even ones. */
    private static List<byte[]> batch() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(key(String.format("k%03d", i)));
        }
        return keys;
    }

    private static Version version(int i) {
        return new Version(1_000_000L + i, "dev" + i % 3);
    }

    private static void store(Connection c, Dialect d, List<byte[]> keys) throws SQLException {
        try (VersionStore s = new VersionStore(c, d)) {
            for (int i = 0; i < keys.size(); i += 2) {
                s.put(TABLE, keys.get(i), RowVersion.UNKNOWN_LIVE.inserted(version(i)));
            }
            s.flush();
        }
    }

    private static void assertRead(Connection c, Dialect d, List<byte[]> keys) throws SQLException {
        try (VersionStore s = new VersionStore(c, d)) {
            s.prefetch(TABLE, keys);
            for (int i = 0; i < keys.size(); i++) {
                RowVersion v = s.get(TABLE, keys.get(i));
                if (i % 2 == 0) {
                    assertEquals(version(i), v.lifecycle(), "key " + i);
                } else {
                    assertNull(v, "key " + i);
                }
            }
        }
    }

    private static void damage(Connection c, byte[] k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _sync_row SET cols = ? WHERE tbl = ? AND pk = ?")) {
            ps.setBytes(1, new byte[] {(byte) 0xff, 1, 2});
            ps.setString(2, TABLE);
            ps.setBytes(3, k);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void rangeReadAndReadByKeyGiveTheSameVersions(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection c = db.openRaw()) {
            Dialect d = Dialect.forUrl(db.rawUrl());
            TestDatabase.exec(c, d.metadataDdl().toArray(new String[0]));
            List<byte[]> keys = batch();
            store(c, d, keys);
            assertRead(c, d, keys);

            // A damaged row inside the range that is not one of the batch's keys is not read.
            byte[] outsider = key("k05x");
            try (VersionStore s = new VersionStore(c, d)) {
                s.put(TABLE, outsider, RowVersion.UNKNOWN_LIVE.inserted(version(1)));
                s.flush();
            }
            damage(c, outsider);
            assertRead(c, d, keys);

            // Many more rows inside the range than keys: read by key, same answers.
            byte[] low = keys.get(0);
            byte[] high = keys.get(keys.size() - 1);
            List<byte[]> others = new ArrayList<>();
            for (char a = 'a'; a <= 'z'; a++) {
                for (char b = 'a'; b <= 'z'; b++) {
                    for (char first : new char[] {'0', '1'}) {
                        byte[] k = key("k" + first + a + b);
                        if (Arrays.compareUnsigned(k, low) > 0 && Arrays.compareUnsigned(k, high) < 0) {
                            others.add(k);
                        }
                    }
                }
            }
            assertTrue(others.size() > 2 * keys.size(), "the range holds " + others.size() + " other rows");
            try (VersionStore s = new VersionStore(c, d)) {
                for (byte[] k : others) {
                    s.put(TABLE, k, RowVersion.UNKNOWN_LIVE.inserted(version(7)));
                }
                s.flush();
            }
            assertRead(c, d, keys);

            // Damage in a row of the batch is reported, by either read.
            damage(c, keys.get(10));
            SQLException e = assertThrows(SQLException.class, () -> assertRead(c, d, keys));
            assertEquals("XX001", e.getSQLState());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_row WHERE tbl = ? AND pk <> ?")) {
                ps.setString(1, TABLE);
                ps.setBytes(2, keys.get(10));
                ps.executeUpdate();
            }
            e = assertThrows(SQLException.class, () -> assertRead(c, d, keys));
            assertEquals("XX001", e.getSQLState());
        }
    }
}
