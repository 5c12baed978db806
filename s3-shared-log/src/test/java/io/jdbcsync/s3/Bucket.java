package io.jdbcsync.s3;

import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.CorruptBatchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Looks at the test bucket behind the log's back, with a plain S3 client. */
final class Bucket {
    private Bucket() {
    }

    /** Every object under {@code prefix} with its size, in key order, across listing pages. */
    static Map<String, Long> objects(S3Client raw, String prefix) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (S3Object o : raw.listObjectsV2Paginator(b -> b.bucket(TestS3.BUCKET).prefix(prefix)).contents()) {
            out.put(o.key(), o.size());
        }
        return out;
    }

    static List<String> keys(S3Client raw, String prefix) {
        return new ArrayList<>(objects(raw, prefix).keySet());
    }

    static byte[] get(S3Client raw, String key) {
        return raw.getObjectAsBytes(b -> b.bucket(TestS3.BUCKET).key(key)).asByteArray();
    }

    /** The key prefix of a device's batches in the log at {@code s3://shared-log/<logPrefix>}. */
    static String batchPrefix(String logPrefix, String device) {
        return logPrefix + "/devices/" + device + "/batches/";
    }

    /** Sequence numbers of a device's batches, in key order. */
    static List<Long> sequences(S3Client raw, String logPrefix, String device) {
        String prefix = batchPrefix(logPrefix, device);
        List<Long> out = new ArrayList<>();
        for (String key : keys(raw, prefix)) {
            long seq = S3Layout.sequenceOf(prefix, key);
            if (seq < 0) {
                throw new AssertionError("not a batch key: " + key);
            }
            out.add(seq);
        }
        return out;
    }

    /** A device's batches, decoded, in sequence order. */
    static List<Batch> batches(S3Client raw, String logPrefix, String device, BatchCodec codec)
            throws CorruptBatchException {
        List<Batch> out = new ArrayList<>();
        String prefix = batchPrefix(logPrefix, device);
        for (long seq : sequences(raw, logPrefix, device)) {
            out.add(codec.decode(get(raw, prefix + String.format("%020d", seq) + ".batch"), device, seq));
        }
        return out;
    }
}
