package io.jdbcsync.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The space all devices share: immutable, create-only batch objects per device, plus a few small
 * named objects (progress markers, key info, snapshots). Implementations: a local directory
 * ({@code file:}) in the driver, S3 ({@code s3:}) in its own module; found through
 * {@link SharedLogProvider} by URI scheme.
 *
 * <p>Layout contract, whatever the backend: batch {@code n} of device {@code d} lives under a
 * name built from {@code d} and {@code n} zero-padded to 20 digits, so that lexical order is
 * sequence order. A batch name is written at most once: implementations must never overwrite it.
 */
public interface SharedLog extends AutoCloseable {

    /**
     * Writes batch {@code sequence} of {@code device}, create-only. Returns normally when the batch
     * was written, or when an object with byte-identical content already exists under that name
     * (a retried write whose first response was lost).
     *
     * @throws BatchConflictException when a different object already exists under that name:
     *     two writers share one device identity; nothing is overwritten
     * @throws IOException when the log cannot be reached; the caller retries later
     */
    void putBatch(String device, long sequence, byte[] content) throws IOException;

    /**
     * Sequence numbers of the batches of {@code device} strictly after {@code afterSequence},
     * ascending, at most {@code maxResults} of them.
     */
    List<Long> listBatches(String device, long afterSequence, int maxResults) throws IOException;

    /** The bytes of one batch; {@link java.io.FileNotFoundException} if it does not exist. */
    byte[] getBatch(String device, long sequence) throws IOException;

    /** Removes batches of {@code device} with sequence up to and including {@code upToSequence}. */
    void deleteBatches(String device, long upToSequence) throws IOException;

    /** Every device that has written anything to this log. */
    List<String> listDevices() throws IOException;

    /**
     * Writes a small named object (progress markers, key info, snapshots), replacing an earlier
     * version atomically: readers see the old or the new content, never a mix. Names use
     * {@code [A-Za-z0-9._/-]}.
     */
    void putObject(String name, byte[] content) throws IOException;

    /** Writes a small named object only if no object has that name yet; false if one exists. */
    boolean putObjectIfAbsent(String name, byte[] content) throws IOException;

    /** A small named object, or empty if there is none. */
    Optional<byte[]> getObject(String name) throws IOException;

    /** Names of small objects starting with {@code prefix}, ascending. */
    List<String> listObjects(String prefix) throws IOException;

    /** Deletes a small named object; no error if it does not exist. */
    void deleteObject(String name) throws IOException;

    /** A short description for status output, never containing credentials. */
    String describe();

    @Override
    void close() throws IOException;
}
