package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.BatchCipher;
import io.jdbcsync.spi.SharedLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What snapshot {@code n} holds: for each device, the last of its batches folded in (its cut), and
 * the parts to read. Stored as {@code snapshots/<n as 20 digits>/manifest}, written create-only so
 * two devices compacting at once cannot both publish snapshot n; sealed like batches when the log
 * is encrypted.
 *
 * <pre>
 * jdbc-sync-snapshot 1
 * attempt &lt;random id of the folder holding the parts&gt;
 * cut &lt;device&gt; &lt;sequence&gt;
 * part &lt;device&gt; &lt;part number&gt;
 * </pre>
 */
public record Manifest(long number, String attempt, Map<String, Long> cuts, List<Part> parts) {
    private static final String HEADER = "jdbc-sync-snapshot 1";

    /** A part of a snapshot: entries carrying versions of one device. */
    public record Part(String device, long number) { }

    static String folder(long number) {
        return "snapshots/" + String.format("%020d", number) + "/";
    }

    String name() {
        return folder(number) + "manifest";
    }

    /** Parts live in a folder of their own attempt, so a losing concurrent compaction never touches the winner's. */
    String partName(Part p) {
        return folder(number) + attempt + "/" + p.device() + "/" + String.format("%020d", p.number());
    }

    public long cut(String device) {
        return cuts.getOrDefault(device, 0L);
    }

    byte[] encode(BatchCipher cipher) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("attempt ").append(attempt).append('\n');
        new TreeMap<>(cuts).forEach((d, s) -> sb.append("cut ").append(d).append(' ').append(s).append('\n'));
        for (Part p : parts) {
            sb.append("part ").append(p.device()).append(' ').append(p.number()).append('\n');
        }
        byte[] plain = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return cipher == null ? plain : cipher.seal(plain, name());
    }

    static Manifest decode(long number, byte[] bytes, BatchCipher cipher) throws IOException {
        String name = folder(number) + "manifest";
        byte[] plain = cipher == null ? bytes : cipher.open(bytes, name);
        String[] lines = new String(plain, StandardCharsets.US_ASCII).split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IOException("snapshot manifest " + name + " is not readable (unknown format or encrypted)");
        }
        Map<String, Long> cuts = new TreeMap<>();
        List<Part> parts = new ArrayList<>();
        String attempt = null;
        try {
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(" ");
                if (f[0].equals("attempt")) {
                    attempt = f[1];
                } else if (f[0].equals("cut")) {
                    cuts.put(io.jdbcsync.internal.log.DeviceIds.require(f[1]), Long.parseLong(f[2]));
                } else if (f[0].equals("part")) {
                    parts.add(new Part(io.jdbcsync.internal.log.DeviceIds.require(f[1]), Long.parseLong(f[2])));
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("snapshot manifest " + name + " is damaged: " + e.getMessage(), e);
        }
        if (attempt == null || !attempt.matches("[a-z0-9]{1,32}")) {
            throw new IOException("snapshot manifest " + name + " is damaged: no valid attempt");
        }
        return new Manifest(number, attempt, cuts, parts);
    }

    /** The newest published snapshot, if any. */
    public static Optional<Manifest> latest(SharedLog log, BatchCipher cipher) throws IOException {
        long newest = -1;
        for (String name : log.listObjects("snapshots/")) {
            String[] f = name.split("/");
            if (f.length == 3 && f[2].equals("manifest")) {
                try {
                    newest = Math.max(newest, Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        if (newest < 0) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = log.getObject(folder(newest) + "manifest");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(decode(newest, bytes.get(), cipher));
    }
}
