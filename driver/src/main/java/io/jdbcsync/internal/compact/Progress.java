package io.jdbcsync.internal.compact;

import io.jdbcsync.spi.SharedLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How far one device has integrated every other device, published in the shared log as
 * {@code progress/<device>} so that batches everybody has can be compacted away.
 *
 * <pre>
 * jdbc-sync-progress 1
 * updated &lt;epoch millis&gt;
 * pushed &lt;last batch this device wrote&gt;
 * device &lt;remote device id&gt; &lt;last batch of it integrated here&gt;
 * </pre>
 */
public record Progress(String device, long updatedMillis, long pushed, Map<String, Long> integrated) {
    private static final String HEADER = "jdbc-sync-progress 1";

    public static String name(String device) {
        return "progress/" + io.jdbcsync.internal.log.DeviceIds.require(device);
    }

    public byte[] encode() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("updated ").append(updatedMillis).append('\n');
        sb.append("pushed ").append(pushed).append('\n');
        new TreeMap<>(integrated).forEach((d, s) -> sb.append("device ").append(d).append(' ').append(s).append('\n'));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static Progress decode(String device, byte[] bytes) throws IOException {
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IOException("progress of device " + device + " is not readable (unknown format)");
        }
        long updated = 0;
        long pushed = 0;
        Map<String, Long> integrated = new LinkedHashMap<>();
        try {
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(" ");
                switch (f[0]) {
                    case "updated": updated = Long.parseLong(f[1]); break;
                    case "pushed": pushed = Long.parseLong(f[1]); break;
                    case "device": integrated.put(io.jdbcsync.internal.log.DeviceIds.require(f[1]), Long.parseLong(f[2])); break;
                    default: break;
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("progress of device " + device + " is damaged: " + e.getMessage(), e);
        }
        return new Progress(device, updated, pushed, integrated);
    }

    public static Optional<Progress> read(SharedLog log, String device) throws IOException {
        Optional<byte[]> bytes = log.getObject(name(device));
        return bytes.isPresent() ? Optional.of(decode(device, bytes.get())) : Optional.empty();
    }
}
