package io.jdbcsync.internal.keys;

import io.jdbcsync.spi.SharedLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Claims of id blocks in the shared log, with create-only objects, as batch names are: no
 * coordinator, and two devices can never hold the same block.
 *
 * <pre>
 * keys/&lt;space&gt;/grid                          ids per block, fixed by the first claimer
 * keys/&lt;space&gt;/&lt;index, 20 digits&gt;             create-only: the block's owner (device, writer)
 * keyclaims/&lt;device&gt;/&lt;writer&gt;/&lt;space&gt;/&lt;index&gt; the claims of one writer, to tell a stale local record
 * </pre>
 *
 * Compaction never touches these names, so a claimed block stays claimed forever, also after its
 * device is retired.
 */
public final class BlockClaims {
    private final SharedLog log;
    private final String device;
    private final int writer;
    /** Highest claimed index seen per space in this session, so a listing is needed once per space. */
    private final Map<String, Long> top = new HashMap<>();
    private final Map<String, Long> grids = new HashMap<>();

    public BlockClaims(SharedLog log, String device, int writer) {
        this.log = log;
        this.device = device;
        this.writer = writer;
    }

    private static String prefix(KeySpace space) {
        return "keys/" + space.name() + "/";
    }

    private String ownPrefix(KeySpace space) {
        return "keyclaims/" + device + "/" + writer + "/" + space.name() + "/";
    }

    private static String index(long i) {
        return String.format("%020d", i);
    }

    /** Ids per block of a space: the first claimer's proposal, read back so every device agrees. */
    long blockSize(KeySpace space) throws IOException {
        Long known = grids.get(space.name());
        if (known != null) {
            return known;
        }
        String name = prefix(space) + "grid";
        Optional<byte[]> existing = log.getObject(name);
        if (existing.isEmpty()) {
            log.putObjectIfAbsent(name, Long.toString(space.proposedBlockSize()).getBytes(StandardCharsets.UTF_8));
            existing = log.getObject(name);
        }
        String text = new String(existing.orElseThrow(() -> new IOException("key grid " + name + " vanished")),
                StandardCharsets.UTF_8).trim();
        long size;
        try {
            size = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("key grid " + name + " in the shared log is damaged: '" + text + "'");
        }
        if (size < 1) {
            throw new IOException("key grid " + name + " in the shared log is damaged: " + size);
        }
        grids.put(space.name(), size);
        return size;
    }

    /**
     * Claims {@code count} blocks above every claimed block and above {@code floorId}.
     *
     * @throws KeySpaceExhaustedException when no block above is left in the column's range
     */
    public List<Block> claim(KeySpace space, long floorId, int count) throws IOException, KeySpaceExhaustedException {
        long size = blockSize(space);
        long lastIndex = (space.max() - 1) / size;
        Long known = top.get(space.name());
        long highest = known == null ? highestClaimed(space) : known;
        long next = Math.max(highest + 1, floorId <= 0 ? 0 : (floorId - 1) / size + 1);
        int lost = 0;
        byte[] owner = ("device=" + device + " writer=" + writer).getBytes(StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        while (out.size() < count) {
            if (next > lastIndex) {
                top.put(space.name(), next - 1);
                if (out.isEmpty()) {
                    throw new KeySpaceExhaustedException(space);
                }
                break;
            }
            if (log.putObjectIfAbsent(prefix(space) + index(next), owner)) {
                // Written after the claim: a crash in between only makes the next check think the
                // local record is stale, which costs blocks, never a collision.
                log.putObject(ownPrefix(space) + index(next), owner);
                out.add(Block.of(next, size, space.max()));
                lost = 0;
            } else if (++lost == 8) {
                // Others claimed a lot since this session last looked: one listing beats many probes.
                next = Math.max(next, highestClaimed(space));
                lost = 0;
            }
            next++;
        }
        top.put(space.name(), next - 1);
        return out;
    }

    private long highestClaimed(KeySpace space) throws IOException {
        long highest = -1;
        for (String name : log.listObjects(prefix(space))) {
            highest = Math.max(highest, parseIndex(name.substring(prefix(space).length())));
        }
        return highest;
    }

    /** Indexes of every block this writer of this device ever claimed in a space. */
    public Set<Long> ownClaims(KeySpace space) throws IOException {
        Set<Long> out = new TreeSet<>();
        for (String name : log.listObjects(ownPrefix(space))) {
            long i = parseIndex(name.substring(ownPrefix(space).length()));
            if (i >= 0) {
                out.add(i);
            }
        }
        return out;
    }

    private static long parseIndex(String tail) {
        if (tail.length() != 20) {
            return -1; // the grid object, or a name this version does not write
        }
        try {
            return Long.parseLong(tail);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
