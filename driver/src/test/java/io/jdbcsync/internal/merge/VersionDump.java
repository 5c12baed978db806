package io.jdbcsync.internal.merge;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every row version a database holds, whether in {@code _sync_row} or in a pack, as lines
 * {@code tbl|HEX(pk)|hlc|device|deleted|HEX(cols)} in table and key order: two devices with the
 * same versions give the same lines however each stored them.
 */
public final class VersionDump {
    private VersionDump() {
    }

    public static List<String> of(Connection raw) throws SQLException {
        HexFormat hex = HexFormat.of().withUpperCase();
        Map<String, String> lines = new TreeMap<>();
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT tbl, lo, body FROM _sync_pack")) {
            while (rs.next()) {
                for (InsertPacks.Entry e : InsertPacks.decode(rs.getString(1), rs.getLong(2), rs.getBytes(3))) {
                    String id = rs.getString(1) + "|" + hex.formatHex(e.pk());
                    lines.put(id, id + "|" + e.hlc() + "|" + e.device() + "|0|");
                }
            }
        }
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT tbl, pk, hlc, device, deleted, cols FROM _sync_row")) {
            while (rs.next()) {
                String id = rs.getString(1) + "|" + hex.formatHex(rs.getBytes(2));
                byte[] cols = rs.getBytes(6);
                lines.put(id, id + "|" + rs.getLong(3) + "|" + rs.getString(4) + "|" + rs.getInt(5) + "|"
                        + (cols == null ? "" : hex.formatHex(cols)));
            }
        }
        return new ArrayList<>(lines.values());
    }
}
