package io.jdbcsync.s3;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where things live in the bucket: the same logical layout as the directory log, under the
 * location's key prefix.
 *
 * <pre>
 * &lt;prefix&gt;/devices/&lt;device&gt;/batches/&lt;20-digit sequence&gt;.batch
 * &lt;prefix&gt;/objects/&lt;name&gt;
 * </pre>
 *
 * The fixed-width sequence makes S3's lexical listing order equal to sequence order, so
 * "batches after n" is a single listing with {@code start-after}.
 */
final class S3Layout {
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern OBJECT_CHARS = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern BATCH_FILE = Pattern.compile("[0-9]{20}\\.batch");
    private static final String BATCH_SUFFIX = ".batch";
    private static final int MAX_OBJECT_NAME = 512;

    private final String bucket;
    /** Empty, or ending in '/'. */
    private final String root;

    private S3Layout(String bucket, String prefix) {
        this.bucket = bucket;
        this.root = prefix.isEmpty() ? "" : prefix + "/";
    }

    /** Reads {@code s3://bucket[/prefix]}. */
    static S3Layout of(URI location) {
        if (location.getScheme() == null || !location.getScheme().equalsIgnoreCase("s3")) {
            throw new IllegalArgumentException("not an s3: location (expected s3://bucket/prefix)");
        }
        String authority = location.getRawAuthority();
        if (location.toString().contains("@")) {
            // Checked on the whole text and not echoed: the part before '@' is likely a
            // credential, and one containing '/' would not even parse as user info.
            throw new IllegalArgumentException("an s3:// location must not carry credentials; use the "
                    + S3Options.ACCESS_KEY + " and " + S3Options.SECRET_KEY + " options");
        }
        if (location.getRawQuery() != null || location.getRawFragment() != null) {
            throw new IllegalArgumentException("an s3:// location takes no query or fragment; options go in "
                    + S3Options.PREFIX + "*");
        }
        if (authority == null || !BUCKET.matcher(authority).matches()) {
            throw new IllegalArgumentException("expected s3://bucket/prefix with a valid bucket name, got '"
                    + location + "'");
        }
        String path = location.getRawPath() == null ? "" : location.getRawPath();
        String prefix = strip(path);
        if (!PREFIX.matcher(prefix).matches() || (!prefix.isEmpty() && !cleanSegments(prefix))) {
            throw new IllegalArgumentException("the key prefix of '" + location
                    + "' must be segments of [A-Za-z0-9._-] separated by single '/'");
        }
        return new S3Layout(authority, prefix);
    }

    String bucket() {
        return bucket;
    }

    /** {@code s3://bucket/prefix} without a trailing slash. */
    String location() {
        return "s3://" + bucket + (root.isEmpty() ? "" : "/" + root.substring(0, root.length() - 1));
    }

    /** A key as an {@code s3://} address, for messages. */
    String address(String key) {
        return "s3://" + bucket + "/" + key;
    }

    String devicesPrefix() {
        return root + "devices/";
    }

    String batchPrefix(String device) {
        return devicesPrefix() + checkDevice(device) + "/batches/";
    }

    String batchKey(String device, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("batch sequence must not be negative, got " + sequence);
        }
        return batchPrefix(device) + String.format("%020d", sequence) + BATCH_SUFFIX;
    }

    /** The sequence of a key under {@code batchPrefix}, or -1 for a key that is not a batch. */
    static long sequenceOf(String batchPrefix, String key) {
        if (!key.startsWith(batchPrefix)) {
            return -1;
        }
        String file = key.substring(batchPrefix.length());
        if (!BATCH_FILE.matcher(file).matches()) {
            return -1;
        }
        try {
            return Long.parseLong(file.substring(0, 20));
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    /** The device of a common prefix {@code <devicesPrefix><device>/}, or null if not one. */
    String deviceOf(String commonPrefix) {
        String devices = devicesPrefix();
        if (!commonPrefix.startsWith(devices) || !commonPrefix.endsWith("/")) {
            return null;
        }
        String device = commonPrefix.substring(devices.length(), commonPrefix.length() - 1);
        return DEVICE.matcher(device).matches() ? device : null;
    }

    String objectsPrefix() {
        return root + "objects/";
    }

    String objectKey(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_OBJECT_NAME
                || !OBJECT_CHARS.matcher(name).matches() || !cleanSegments(name)) {
            throw new IllegalArgumentException("object names are segments of [A-Za-z0-9._-] separated by"
                    + " single '/' (at most " + MAX_OBJECT_NAME + " characters), got '" + name + "'");
        }
        return objectsPrefix() + name;
    }

    /** The key prefix for object names starting with {@code namePrefix} (which may be empty). */
    String objectListPrefix(String namePrefix) {
        if (namePrefix == null || namePrefix.length() > MAX_OBJECT_NAME
                || !OBJECT_CHARS.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("an object name prefix uses [A-Za-z0-9._/-], got '"
                    + namePrefix + "'");
        }
        return objectsPrefix() + namePrefix;
    }

    static String checkDevice(String device) {
        if (device == null || !DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException("device ids are 1 to 64 of [A-Za-z0-9_-], got '" + device + "'");
        }
        return device;
    }

    private static String strip(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** No empty, "." or ".." segments: keys stay the same on every backend. */
    private static boolean cleanSegments(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
