package io.jdbcsync.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.spi.BatchConflictException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySharedLogTest {

    @TempDir
    Path dir;

    private Path root;
    private DirectorySharedLog log;

    @BeforeEach
    void open() throws IOException {
        root = dir.resolve("shared");
        log = new DirectorySharedLog(root);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putsListsAndGetsBatches() throws Exception {
        log.putBatch("d1", 1, bytes("one"));
        log.putBatch("d1", 2, bytes("two"));
        log.putBatch("d2", 1, bytes("other"));

        assertEquals(List.of(1L, 2L), log.listBatches("d1", -1, 100));
        assertArrayEquals(bytes("two"), log.getBatch("d1", 2));
        assertArrayEquals(bytes("other"), log.getBatch("d2", 1));
        assertTrue(Files.isRegularFile(root.resolve("devices/d1/batches/00000000000000000002.batch")), "documented layout");
        assertEquals("directory " + root.toAbsolutePath(), log.describe());
    }

    @Test
    void missingBatchIsFileNotFoundNamingIt() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> log.getBatch("d1", 7));
        assertTrue(e.getMessage().contains("batch d1/00000000000000000007 does not exist"), e.getMessage());
    }

    @Test
    void batchesAreCreateOnly() throws Exception {
        log.putBatch("d1", 7, bytes("first"));
        log.putBatch("d1", 7, bytes("first")); // a retried write

        BatchConflictException e = assertThrows(BatchConflictException.class, () -> log.putBatch("d1", 7, bytes("second")));

        assertEquals("batch d1/00000000000000000007 already exists with different content: two devices share"
                + " the id d1; nothing was overwritten", e.getMessage());
        assertArrayEquals(bytes("first"), log.getBatch("d1", 7));
        assertNoTempFiles();
    }

    /**
     * Most of the batches arrive as plain files in the documented layout, the way a file-sync tool
     * delivers them (and without paying two disk flushes per batch).
     */
    @Test
    void listsAfterASequenceWithALimitAcrossManyBatches() throws Exception {
        for (long sequence = 0; sequence < 10; sequence++) {
            log.putBatch("d1", sequence, bytes("b" + sequence));
        }
        Path batches = root.resolve("devices/d1/batches");
        for (long sequence = 10; sequence < 1_500; sequence++) {
            Files.write(batches.resolve(String.format("%020d.batch", sequence)), bytes("b" + sequence));
        }

        assertEquals(LongStream.range(0, 1_500).boxed().collect(Collectors.toList()), log.listBatches("d1", -1, 10_000));
        assertEquals(List.of(0L, 1L, 2L), log.listBatches("d1", -1, 3));
        assertEquals(LongStream.range(1_000, 1_250).boxed().collect(Collectors.toList()), log.listBatches("d1", 999, 250));
        assertEquals(List.of(1_499L), log.listBatches("d1", 1_498, 10));
        assertEquals(List.of(), log.listBatches("d1", 1_499, 10));
        assertEquals(List.of(), log.listBatches("d1", 5, 0));
        assertEquals(List.of(), log.listBatches("unknown", -1, 10));
        assertNoTempFiles();
    }

    @Test
    void listingIgnoresFilesThatAreNotBatches() throws Exception {
        log.putBatch("d1", 3, bytes("three"));
        Path batches = root.resolve("devices/d1/batches");
        for (String stray : List.of(".tmp-abc", "00000000000000000004.batch.tmp", "4.batch", "readme.txt",
                "99999999999999999999.batch", ".syncthing.00000000000000000005.batch.tmp")) {
            Files.writeString(batches.resolve(stray), "x");
        }
        assertEquals(List.of(3L), log.listBatches("d1", -1, 100));
    }

    @Test
    void deletesBatchesUpToASequenceAndAbandonedTempFiles() throws Exception {
        for (long sequence = 1; sequence <= 5; sequence++) {
            log.putBatch("d1", sequence, bytes("b" + sequence));
        }
        Path batches = root.resolve("devices/d1/batches");
        Path abandoned = Files.writeString(batches.resolve(".tmp-crashed"), "partial");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minusSeconds(2 * 3600)));
        Path inProgress = Files.writeString(batches.resolve(".tmp-writing"), "partial");

        log.deleteBatches("d1", 3);

        assertEquals(List.of(4L, 5L), log.listBatches("d1", -1, 100));
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(inProgress), "a recent temp file may belong to a writer at work");
        log.deleteBatches("d1", 3); // nothing left to delete
        log.deleteBatches("never-wrote", 10);
    }

    @Test
    void discoversDevices() throws Exception {
        assertEquals(List.of(), log.listDevices());
        log.putBatch("zeta", 1, bytes("z"));
        log.putBatch("Alpha_1", 1, bytes("a"));
        log.putBatch("beta-2", 1, bytes("b"));
        Files.createDirectories(root.resolve("devices/not valid"));
        Files.createDirectories(root.resolve("devices/.hidden"));
        Files.writeString(root.resolve("devices/file"), "x");

        assertEquals(List.of("Alpha_1", "beta-2", "zeta"), log.listDevices());
    }

    @Test
    void refusesInvalidDeviceIdsAndSequences() {
        for (String device : new String[] {"", "a/b", "..", "with space", "é", "a".repeat(65), null}) {
            assertThrows(IllegalArgumentException.class, () -> log.putBatch(device, 1, bytes("x")), "device " + device);
            assertThrows(IllegalArgumentException.class, () -> log.listBatches(device, -1, 1), "device " + device);
            assertThrows(IllegalArgumentException.class, () -> log.getBatch(device, 1), "device " + device);
            assertThrows(IllegalArgumentException.class, () -> log.deleteBatches(device, 1), "device " + device);
        }
        assertThrows(IllegalArgumentException.class, () -> log.putBatch("d1", -1, bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> log.listBatches("d1", -1, -1));
    }

    @Test
    void smallObjects() throws Exception {
        assertEquals(Optional.empty(), log.getObject("progress/d1"));

        log.putObject("progress/d1", bytes("10"));
        log.putObject("progress/d1", bytes("11"));
        log.putObject("progress/d2", bytes("3"));
        log.putObject("snapshots/2024/full.db", bytes("snap"));
        log.putObject("top", bytes("t"));

        assertArrayEquals(bytes("11"), log.getObject("progress/d1").orElseThrow());
        assertTrue(log.putObjectIfAbsent("progress/d3", bytes("1")));
        assertFalse(log.putObjectIfAbsent("progress/d3", bytes("2")));
        assertArrayEquals(bytes("1"), log.getObject("progress/d3").orElseThrow());

        assertEquals(List.of("progress/d1", "progress/d2", "progress/d3", "snapshots/2024/full.db", "top"),
                log.listObjects(""));
        assertEquals(List.of("progress/d1", "progress/d2", "progress/d3"), log.listObjects("progress/"));
        assertEquals(List.of("progress/d2"), log.listObjects("progress/d2"));
        assertEquals(List.of("snapshots/2024/full.db"), log.listObjects("snap"));
        assertEquals(List.of("snapshots/2024/full.db"), log.listObjects("snapshots/20"));
        assertEquals(List.of(), log.listObjects("nothing/here/"));
        assertEquals(List.of(), log.listObjects("../"));

        log.deleteObject("progress/d2");
        log.deleteObject("progress/d2");
        assertEquals(Optional.empty(), log.getObject("progress/d2"));
        assertEquals(List.of("progress/d1", "progress/d3"), log.listObjects("progress/"));
        assertNoTempFiles();
    }

    @Test
    void objectListingSkipsTemporaryAndHiddenFiles() throws Exception {
        log.putObject("progress/d1", bytes("1"));
        Files.writeString(root.resolve("objects/progress/.tmp-123"), "x");
        Files.createDirectories(root.resolve("objects/.stversions"));
        Files.writeString(root.resolve("objects/.stversions/old"), "x");
        assertEquals(List.of("progress/d1"), log.listObjects(""));
    }

    @Test
    void refusesObjectNamesThatWouldEscapeOrHide() {
        for (String name : new String[] {"", "/abs", "a//b", "a/", "../up", "a/../b", ".hidden", "a/.tmp-x",
                "sp ace", "back\\slash", null}) {
            assertThrows(IllegalArgumentException.class, () -> log.putObject(name, bytes("x")), "name " + name);
            assertThrows(IllegalArgumentException.class, () -> log.getObject(name), "name " + name);
        }
    }

    @Test
    void createsTheRootOnlyWhenItsParentExists() throws Exception {
        Path fresh = dir.resolve("fresh");
        new DirectorySharedLog(fresh);
        assertTrue(Files.isDirectory(fresh));

        IOException e = assertThrows(IOException.class, () -> new DirectorySharedLog(dir.resolve("unmounted/share/app")));
        assertTrue(e.getMessage().contains("its parent does not exist"), e.getMessage());

        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThrows(IOException.class, () -> new DirectorySharedLog(file));
    }

    private void assertNoTempFiles() throws IOException {
        List<Path> temps = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> p.getFileName().toString().startsWith(".tmp-")).forEach(temps::add);
        }
        assertEquals(List.of(), temps);
    }
}
