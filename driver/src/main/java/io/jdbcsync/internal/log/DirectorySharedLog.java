package io.jdbcsync.internal.log;

import io.jdbcsync.spi.BatchConflictException;
import io.jdbcsync.spi.SharedLog;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared log in a local directory: a folder on a network share, or one kept in step between
 * machines by a file-sync tool. Several processes may use the same folder at once; correctness
 * rests on what the file system guarantees, never on locks inside one process.
 *
 * <p>Layout under the root:
 * <pre>
 * devices/&lt;device&gt;/batches/&lt;sequence, 20 digits zero-padded&gt;.batch
 * objects/&lt;name&gt;                  small named objects; '/' in a name makes subdirectories
 * </pre>
 * Files whose name starts with {@code .} are never part of the log: they are this class's
 * temporary files ({@code .tmp-*}) or those of file-sync tools. So object names here are a little
 * stricter than the SPI's: no segment may be empty or start with a dot. A name also cannot be the
 * directory part of another ({@code a} and {@code a/b}), as one path cannot be file and folder.
 *
 * <p>Writes go to a temporary file in the target directory, are forced to disk, and only then get
 * their final name, so a reader never sees a partly written batch or object. A batch name is
 * taken with a hard link, which the file system creates only if the name is free: of several
 * writers racing for one name, exactly one wins. Where hard links are not supported (FAT, some
 * network shares), the fallback is a check for the name followed by a rename: two writers racing
 * within that short window could both believe they won, and the later rename replaces the earlier
 * file on systems where rename replaces. One device per identity makes this race moot in practice.
 *
 * <p>On file systems that ignore case (Windows, macOS by default), device ids differing only in
 * case share a directory; their batches then conflict instead of mixing silently.
 *
 * <p>Thread-safe: it holds no state beyond the root path.
 */
public final class DirectorySharedLog implements SharedLog {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorySharedLog.class);

    private static final String TEMP_PREFIX = ".tmp-";
    private static final String BATCH_SUFFIX = ".batch";
    private static final Pattern BATCH_FILE = Pattern.compile("\\d{20}\\.batch");
    private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9._/-]+");
    /** Temporary files older than this were left by a crashed writer. */
    private static final Duration ABANDONED_TEMP_AGE = Duration.ofHours(1);

    private final Path root;
    private final Path devices;
    private final Path objects;

    /**
     * Opens the log rooted at {@code root}, creating that directory if its parent exists. A missing
     * parent is an error rather than created: it usually means a share or drive is not mounted,
     * and writing into a fresh local folder would then sync with nobody.
     */
    public DirectorySharedLog(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.devices = this.root.resolve("devices");
        this.objects = this.root.resolve("objects");
        if (!Files.isDirectory(this.root)) {
            try {
                Files.createDirectory(this.root);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(this.root)) {
                    throw new NotDirectoryException(this.root.toString());
                }
            } catch (NoSuchFileException e) {
                throw new IOException("cannot create the shared log directory " + this.root
                        + ": its parent does not exist (is the drive or share mounted?)", e);
            }
        }
    }

    @Override
    public void putBatch(String device, long sequence, byte[] content) throws IOException {
        Path target = batchFile(device, sequence);
        Path dir = target.getParent();
        if (Files.exists(target)) {
            // A retry of a write that already landed: no need to write a temporary copy.
            acceptExistingBatch(device, sequence, target, content);
            return;
        }
        Files.createDirectories(dir);
        if (!createOnlyFrom(dir, target, content)) {
            acceptExistingBatch(device, sequence, target, content);
        }
    }

    @Override
    public List<Long> listBatches(String device, long afterSequence, int maxResults) throws IOException {
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults must not be negative: " + maxResults);
        }
        List<Long> sequences = new ArrayList<>();
        for (long sequence : allBatches(device)) {
            if (sequence > afterSequence) {
                sequences.add(sequence);
            }
        }
        Collections.sort(sequences);
        return List.copyOf(sequences.subList(0, Math.min(maxResults, sequences.size())));
    }

    @Override
    public byte[] getBatch(String device, long sequence) throws IOException {
        Path file = batchFile(device, sequence);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            FileNotFoundException missing = new FileNotFoundException("batch "
                    + BatchName.of(device, sequence) + " does not exist in " + describe());
            missing.initCause(e);
            throw missing;
        }
    }

    @Override
    public void deleteBatches(String device, long upToSequence) throws IOException {
        for (long sequence : allBatches(device)) {
            if (sequence <= upToSequence) {
                Files.deleteIfExists(batchFile(device, sequence));
            }
        }
        removeAbandonedTempFiles(batchDirectory(device));
    }

    @Override
    public List<String> listDevices() throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devices)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (BatchName.isValidDevice(name) && Files.isDirectory(entry)) {
                    found.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        Collections.sort(found);
        return List.copyOf(found);
    }

    @Override
    public void putObject(String name, byte[] content) throws IOException {
        Path target = objectFile(name);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = writeTempFile(dir, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    @Override
    public boolean putObjectIfAbsent(String name, byte[] content) throws IOException {
        Path target = objectFile(name);
        if (Files.exists(target)) {
            return false;
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        return createOnlyFrom(dir, target, content);
    }

    @Override
    public Optional<byte[]> getObject(String name) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(objectFile(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> listObjects(String prefix) throws IOException {
        // Only walk the directory the prefix points into, not every object.
        int slash = prefix.lastIndexOf('/');
        Path start = objects;
        if (slash >= 0) {
            String directory = prefix.substring(0, slash);
            if (!isValidObjectName(directory)) {
                return List.of(); // no valid name can start like this
            }
            start = objects.resolve(directory);
        }
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        Path walkRoot = start;
        List<String> names = new ArrayList<>();
        Files.walkFileTree(walkRoot, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(walkRoot) || !isHidden(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file)) {
                    String name = objectNameOf(file);
                    if (name.startsWith(prefix)) {
                        names.add(name);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while we listed
                }
                throw e;
            }
        });
        Collections.sort(names);
        return List.copyOf(names);
    }

    @Override
    public void deleteObject(String name) throws IOException {
        Files.deleteIfExists(objectFile(name));
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    Path root() {
        return root;
    }

    /**
     * Writes {@code content} to a temporary file in {@code dir}, then gives it the name
     * {@code target} only if that name is free. False if it was taken; the temporary file is
     * removed either way.
     */
    private boolean createOnlyFrom(Path dir, Path target, byte[] content) throws IOException {
        Path temp = writeTempFile(dir, content);
        try {
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (Files.exists(target)) {
                    return false;
                }
                LOG.debug("Hard links unavailable in {} ({}); creating {} by rename", dir, e, target.getFileName());
                try {
                    Files.move(temp, target);
                } catch (FileAlreadyExistsException raced) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
        return true;
    }

    private void acceptExistingBatch(String device, long sequence, Path target, byte[] content) throws IOException {
        byte[] existing = Files.readAllBytes(target);
        if (!Arrays.equals(existing, content)) {
            throw new BatchConflictException("batch " + BatchName.of(device, sequence)
                    + " already exists with different content: two devices share the id " + device
                    + "; nothing was overwritten");
        }
        LOG.debug("Batch {} was already written with the same content", BatchName.of(device, sequence));
    }

    /** A new, uniquely named file in {@code dir} holding {@code content}, forced to disk. */
    private static Path writeTempFile(Path dir, byte[] content) throws IOException {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        Path temp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(random));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** Makes a new name in {@code dir} durable. Not possible everywhere (Windows); best effort. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Cannot force directory {} to disk", dir, e);
        }
    }

    private static void removeAbandonedTempFiles(Path dir) throws IOException {
        Instant cutoff = Instant.now().minus(ABANDONED_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path entry : entries) {
                try {
                    if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(entry);
                    }
                } catch (NoSuchFileException e) {
                    // removed by another process meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            // no batches yet
        }
    }

    private List<Long> allBatches(String device) throws IOException {
        List<Long> sequences = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(batchDirectory(device))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (BATCH_FILE.matcher(name).matches()) {
                    try {
                        sequences.add(Long.parseLong(name.substring(0, name.length() - BATCH_SUFFIX.length())));
                    } catch (NumberFormatException e) {
                        // 20 digits beyond the range of long: not ours
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return sequences;
    }

    private Path batchDirectory(String device) {
        return devices.resolve(BatchName.requireValidDevice(device)).resolve("batches");
    }

    private Path batchFile(String device, long sequence) {
        BatchName.requireValidSequence(sequence);
        return batchDirectory(device).resolve(BatchName.paddedSequence(sequence) + BATCH_SUFFIX);
    }

    private Path objectFile(String name) {
        return objects.resolve(checkedObjectPath(name));
    }

    /**
     * Object names follow the SPI alphabet; in addition no segment may be empty or start with a
     * dot, which keeps names inside {@code objects/} and apart from temporary files.
     */
    private static String checkedObjectPath(String name) {
        if (!isValidObjectName(name)) {
            throw new IllegalArgumentException("invalid object name '" + name + "': use A-Z a-z 0-9 . _ - and /,"
                    + " with no empty segment and no segment starting with '.'");
        }
        return name;
    }

    private static boolean isValidObjectName(String name) {
        if (name == null || !OBJECT_NAME.matcher(name).matches()) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private String objectNameOf(Path file) {
        Path relative = objects.relativize(file);
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    private static boolean isHidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }
}
