package io.jdbcsync.s3;

import io.jdbcsync.spi.BatchConflictException;
import io.jdbcsync.spi.SharedLog;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link SharedLog} in an S3 bucket (AWS or any S3-compatible server). Batches are written
 * with {@code If-None-Match: *}, so a batch name is written at most once even when two writers
 * race; every request is bounded in time and attempts and counted in {@link #requestCounts()}.
 * Opened through {@link S3SharedLogProvider}.
 */
public final class S3SharedLog implements SharedLog {
    private static final Logger LOG = LoggerFactory.getLogger(S3SharedLog.class);
    /** The most keys S3 returns in one listing and accepts in one multi-object delete. */
    static final int S3_PAGE_LIMIT = 1_000;

    private final S3Client client;
    private final S3Layout layout;
    private final Retrier retrier;
    private final RequestCounter counter;
    private final String where;
    private volatile int pageSize = S3_PAGE_LIMIT;

    S3SharedLog(S3Client client, S3Layout layout, Retrier retrier, RequestCounter counter, String where) {
        this.client = client;
        this.layout = layout;
        this.retrier = retrier;
        this.counter = counter;
        this.where = where;
    }

    /**
     * Requests sent so far by kind ({@code PUT, GET, LIST, DELETE, HEAD}), each retry counted as a
     * request of its own. Every kind is present; the map is a snapshot.
     */
    public Map<String, Long> requestCounts() {
        return counter.snapshot();
    }

    /** Smaller listing pages let tests cross page boundaries without thousands of objects. */
    void pageSize(int size) {
        if (size < 1 || size > S3_PAGE_LIMIT) {
            throw new IllegalArgumentException("page size must be 1.." + S3_PAGE_LIMIT);
        }
        this.pageSize = size;
    }

    @Override
    public void putBatch(String device, long sequence, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        String key = layout.batchKey(device, sequence);
        try {
            putCreateOnly(key, content);
            return;
        } catch (S3StatusException e) {
            if (!e.isPreconditionFailed()) {
                throw e;
            }
        }
        // The name is taken. Our own earlier write whose response got lost is fine; anything
        // else means a second writer with the same device id, and nothing may be overwritten.
        byte[] existing;
        try {
            existing = read(key);
        } catch (FileNotFoundException vanished) {
            throw new IOException("S3 PUT " + layout.address(key) + ": the batch exists according to the"
                    + " create-only write, but could not be read back; try again later", vanished);
        }
        if (!Arrays.equals(existing, content)) {
            throw new BatchConflictException("batch " + device + "/" + sequence + " already exists with"
                    + " different content: two devices share the id " + device + "; nothing was overwritten");
        }
        LOG.debug("batch {}/{} was already stored with the same content", device, sequence);
    }

    @Override
    public List<Long> listBatches(String device, long afterSequence, int maxResults) throws IOException {
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults must not be negative, got " + maxResults);
        }
        String prefix = layout.batchPrefix(device);
        List<Long> sequences = new ArrayList<>();
        if (maxResults == 0) {
            return sequences;
        }
        // Starting after the last known key makes "nothing new" a single, empty listing.
        String startAfter = afterSequence >= 0 ? layout.batchKey(device, afterSequence) : null;
        String token = null;
        do {
            int wanted = Math.min(pageSize, maxResults - sequences.size());
            ListObjectsV2Response page = list(prefix, null, startAfter, token, wanted);
            for (S3Object object : page.contents()) {
                long sequence = S3Layout.sequenceOf(prefix, object.key());
                if (sequence < 0) {
                    LOG.debug("ignoring {}: not a batch name", object.key());
                } else if (sequence > afterSequence && sequences.size() < maxResults) {
                    sequences.add(sequence);
                }
            }
            token = nextToken(page);
        } while (token != null && sequences.size() < maxResults);
        return sequences;
    }

    @Override
    public byte[] getBatch(String device, long sequence) throws IOException {
        return read(layout.batchKey(device, sequence));
    }

    @Override
    public void deleteBatches(String device, long upToSequence) throws IOException {
        if (upToSequence < 0) {
            return;
        }
        String prefix = layout.batchPrefix(device);
        String token = null;
        boolean beyond = false;
        do {
            ListObjectsV2Response page = list(prefix, null, null, token, pageSize);
            List<ObjectIdentifier> doomed = new ArrayList<>();
            for (S3Object object : page.contents()) {
                long sequence = S3Layout.sequenceOf(prefix, object.key());
                if (sequence > upToSequence) {
                    beyond = true; // keys come in sequence order: the rest are newer still
                    break;
                }
                if (sequence >= 0) {
                    doomed.add(ObjectIdentifier.builder().key(object.key()).build());
                }
            }
            deleteKeys(prefix, doomed);
            token = nextToken(page);
        } while (!beyond && token != null);
    }

    @Override
    public List<String> listDevices() throws IOException {
        String prefix = layout.devicesPrefix();
        List<String> devices = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = list(prefix, "/", null, token, pageSize);
            for (CommonPrefix common : page.commonPrefixes()) {
                String device = layout.deviceOf(common.prefix());
                if (device != null) {
                    devices.add(device);
                }
            }
            token = nextToken(page);
        } while (token != null);
        return devices;
    }

    @Override
    public void putObject(String name, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        String key = layout.objectKey(name);
        retrier.run(RequestKind.PUT, layout.address(key), () -> client.putObject(
                b -> b.bucket(layout.bucket()).key(key), RequestBody.fromBytes(content)));
    }

    @Override
    public boolean putObjectIfAbsent(String name, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        String key = layout.objectKey(name);
        try {
            putCreateOnly(key, content);
            return true;
        } catch (S3StatusException e) {
            if (!e.isPreconditionFailed()) {
                throw e;
            }
            if (e.attempts() == 1) {
                return false; // it existed before we ever wrote
            }
            // An earlier attempt may have written it and lost the response: ours if the bytes match.
            try {
                return Arrays.equals(read(key), content);
            } catch (FileNotFoundException vanished) {
                return false;
            }
        }
    }

    @Override
    public Optional<byte[]> getObject(String name) throws IOException {
        try {
            return Optional.of(read(layout.objectKey(name)));
        } catch (FileNotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> listObjects(String prefix) throws IOException {
        String keyPrefix = layout.objectListPrefix(prefix);
        int strip = layout.objectsPrefix().length();
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = list(keyPrefix, null, null, token, pageSize);
            for (S3Object object : page.contents()) {
                names.add(object.key().substring(strip));
            }
            token = nextToken(page);
        } while (token != null);
        return names;
    }

    @Override
    public void deleteObject(String name) throws IOException {
        String key = layout.objectKey(name);
        try {
            retrier.run(RequestKind.DELETE, layout.address(key),
                    () -> client.deleteObject(b -> b.bucket(layout.bucket()).key(key)));
        } catch (S3StatusException e) {
            if (!e.isNoSuchKey()) {
                throw e;
            }
        }
    }

    @Override
    public String describe() {
        return layout.location() + " at " + where;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3SharedLog[" + describe() + "]";
    }

    private void putCreateOnly(String key, byte[] content) throws IOException {
        try {
            retrier.run(RequestKind.PUT, layout.address(key), () -> client.putObject(
                    b -> b.bucket(layout.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromBytes(content)));
        } catch (S3StatusException e) {
            if (e.isNotImplemented()) {
                throw new IOException(e.getMessage() + "; this log needs create-only writes"
                        + " (If-None-Match: *), which this server does not support", e);
            }
            throw e;
        }
    }

    /** The object's bytes; {@link FileNotFoundException} if there is no such key. */
    private byte[] read(String key) throws IOException {
        try {
            return retrier.run(RequestKind.GET, layout.address(key),
                    () -> client.getObjectAsBytes(b -> b.bucket(layout.bucket()).key(key)).asByteArray());
        } catch (S3StatusException e) {
            if (e.isNoSuchKey()) {
                FileNotFoundException absent = new FileNotFoundException(e.getMessage());
                absent.initCause(e);
                throw absent;
            }
            throw e;
        }
    }

    private ListObjectsV2Response list(String prefix, String delimiter, String startAfter, String token,
            int maxKeys) throws IOException {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(layout.bucket())
                .prefix(prefix)
                .maxKeys(maxKeys);
        if (delimiter != null) {
            request.delimiter(delimiter);
        }
        // The continuation token already encodes the position; start-after only seeds page one.
        if (token != null) {
            request.continuationToken(token);
        } else if (startAfter != null) {
            request.startAfter(startAfter);
        }
        ListObjectsV2Request built = request.build();
        return retrier.run(RequestKind.LIST, layout.address(prefix), () -> client.listObjectsV2(built));
    }

    private static String nextToken(ListObjectsV2Response page) {
        if (!Boolean.TRUE.equals(page.isTruncated())) {
            return null;
        }
        String token = page.nextContinuationToken();
        return token == null || token.isEmpty() ? null : token;
    }

    private void deleteKeys(String prefix, List<ObjectIdentifier> keys) throws IOException {
        for (int from = 0; from < keys.size(); from += S3_PAGE_LIMIT) {
            List<ObjectIdentifier> chunk = keys.subList(from, Math.min(keys.size(), from + S3_PAGE_LIMIT));
            DeleteObjectsResponse response = retrier.run(RequestKind.DELETE, layout.address(prefix),
                    () -> client.deleteObjects(b -> b.bucket(layout.bucket())
                            .delete(d -> d.objects(chunk).quiet(true))));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                S3Error first = response.errors().get(0);
                throw new IOException("S3 DELETE " + layout.address(prefix) + ": " + response.errors().size()
                        + " of " + chunk.size() + " keys not deleted, first " + first.key() + ": "
                        + first.code());
            }
        }
    }
}
