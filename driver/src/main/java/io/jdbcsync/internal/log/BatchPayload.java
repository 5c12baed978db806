package io.jdbcsync.internal.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The uncompressed, unencrypted content of a batch; the layout is documented on {@link BatchCodec}.
 * Table names are stored once per batch in a dictionary (in order of first use) and entries refer
 * to them by index: batches usually touch a handful of tables many times.
 */
final class BatchPayload {

    /** hlc (8) + table index (1) + op (1) + key length (1) + data length (1). */
    private static final int MIN_ENTRY_BYTES = 12;

    private BatchPayload() {
    }

    /** Encodes in the current format ({@link BatchCodec#FORMAT_VERSION}). */
    static byte[] encode(Batch batch) {
        BatchName.requireValidSequence(batch.sequence());
        Objects.requireNonNull(batch.device(), "batch device");
        List<LogEntry> entries = Objects.requireNonNull(batch.entries(), "batch entries");

        Map<String, Integer> tableIndex = new LinkedHashMap<>();
        long estimate = 64;
        for (LogEntry entry : entries) {
            Objects.requireNonNull(entry, "log entry");
            Objects.requireNonNull(entry.table(), "log entry table");
            Objects.requireNonNull(entry.op(), "log entry op");
            Objects.requireNonNull(entry.key(), "log entry key (use an empty array, not null)");
            Objects.requireNonNull(entry.data(), "log entry data (use an empty array, not null)");
            tableIndex.putIfAbsent(entry.table(), tableIndex.size());
            estimate += MIN_ENTRY_BYTES + 8 + entry.key().length + entry.data().length;
        }

        Map<String, Integer> deviceIndex = new LinkedHashMap<>();
        for (LogEntry entry : entries) {
            if (entry.op() == Op.UPDATE && entry.seen() != null) {
                for (LogEntry.Seen seen : entry.seen()) {
                    if (seen != null && !seen.device().equals(batch.device())) {
                        deviceIndex.putIfAbsent(seen.device(), deviceIndex.size());
                    }
                }
            }
        }

        BinaryWriter out = new BinaryWriter((int) Math.min(estimate, 1 << 24));
        out.writeString(batch.device());
        out.writeVarint(batch.sequence());
        out.writeVarint(tableIndex.size());
        for (String table : tableIndex.keySet()) {
            out.writeString(table);
        }
        out.writeVarint(deviceIndex.size());
        for (String device : deviceIndex.keySet()) {
            out.writeString(device);
        }
        out.writeVarint(entries.size());
        for (LogEntry entry : entries) {
            out.writeLong(entry.hlc());
            out.writeVarint(tableIndex.get(entry.table()));
            out.writeByte(entry.op().code());
            out.writeBytes(entry.key());
            out.writeBytes(entry.data());
            if (entry.op() == Op.UPDATE) {
                writeSeen(out, entry, batch.device(), deviceIndex);
            }
        }
        return out.toByteArray();
    }

    /** Per column: 0 unknown; 1 the batch's own device; 2 + i device i of the dictionary; then the clock. */
    private static void writeSeen(BinaryWriter out, LogEntry entry, String own, Map<String, Integer> deviceIndex) {
        List<LogEntry.Seen> seen = entry.seen() == null ? List.of() : entry.seen();
        out.writeVarint(seen.size());
        for (LogEntry.Seen s : seen) {
            if (s == null) {
                out.writeVarint(0);
                continue;
            }
            out.writeVarint(s.device().equals(own) ? 1 : 2L + deviceIndex.get(s.device()));
            // Usually a little before the entry's own clock: the difference is short.
            long delta = entry.hlc() - s.hlc();
            out.writeVarint((delta << 1) ^ (delta >> 63));
        }
    }

    private static List<LogEntry.Seen> readSeen(BinaryReader in, int entry, long hlc, String own, List<String> devices)
            throws CorruptBatchException {
        int count = in.readCount("entry " + entry + " seen count", 1);
        if (count == 0) {
            return null;
        }
        List<LogEntry.Seen> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long tag = in.readVarint("entry seen device");
            if (tag == 0) {
                out.add(null);
                continue;
            }
            if (tag < 0 || tag - 2 >= devices.size()) {
                throw new CorruptBatchException("malformed entry " + entry + ": seen device " + (tag - 2)
                        + " outside the dictionary of " + devices.size());
            }
            long zigzag = in.readVarint("entry seen clock");
            long delta = (zigzag >>> 1) ^ -(zigzag & 1);
            out.add(new LogEntry.Seen(hlc - delta, tag == 1 ? own : devices.get((int) (tag - 2))));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    /**
     * Parses a payload, checking first that it claims to be the batch it was found as: a batch
     * copied under another device or sequence must not be applied there.
     */
    static Batch decode(byte[] payload, String expectedDevice, long expectedSequence, int format)
            throws CorruptBatchException {
        BinaryReader in = new BinaryReader(payload, 0, payload.length);
        String device = in.readString("device id");
        long sequence = in.readVarint("sequence");
        if (!device.equals(expectedDevice) || sequence != expectedSequence) {
            throw new CorruptBatchException("content belongs to device " + printable(device)
                    + " sequence " + Long.toUnsignedString(sequence) + ": swapped or replayed");
        }

        int tableCount = in.readCount("table count", 1);
        List<String> tables = new ArrayList<>(tableCount);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < tableCount; i++) {
            String table = in.readString("table name");
            if (seen.put(table, i) != null) {
                throw new CorruptBatchException("malformed table dictionary: '" + printable(table)
                        + "' appears twice");
            }
            tables.add(table);
        }

        List<String> devices = new ArrayList<>();
        if (format >= 2) {
            int deviceCount = in.readCount("device count", 1);
            for (int i = 0; i < deviceCount; i++) {
                devices.add(in.readString("device name"));
            }
        }

        int entryCount = in.readCount("entry count", MIN_ENTRY_BYTES);
        List<LogEntry> entries = new ArrayList<>(entryCount);
        for (int i = 0; i < entryCount; i++) {
            long hlc = in.readLong("entry hlc");
            long table = in.readVarint("entry table index");
            if (table >= tables.size() || table < 0) {
                throw new CorruptBatchException("malformed entry " + i + ": table index " + table
                        + " outside the dictionary of " + tables.size());
            }
            int code = in.readByte("entry op");
            Op op;
            try {
                op = Op.ofCode(code);
            } catch (IllegalArgumentException e) {
                throw new CorruptBatchException("malformed entry " + i + ": unknown op code " + code, e);
            }
            byte[] key = in.readBytes("entry key");
            byte[] data = in.readBytes("entry data");
            List<LogEntry.Seen> seenByUpdate = format >= 2 && op == Op.UPDATE ? readSeen(in, i, hlc, device, devices) : null;
            entries.add(new LogEntry(hlc, tables.get((int) table), op, key, data, seenByUpdate));
        }
        if (in.remaining() != 0) {
            throw new CorruptBatchException(in.remaining() + " bytes of trailing garbage after the last entry");
        }
        return new Batch(device, sequence, List.copyOf(entries));
    }

    /** Keeps attacker-chosen text in messages short and on one line. */
    private static String printable(String text) {
        String shortened = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder out = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
