package io.jdbcsync.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code sync.s3.*} connection options, parsed and checked. Credentials are held here but
 * never shown: neither {@link #toString()} nor any error message includes them.
 */
final class S3Options {
    static final String PREFIX = "sync.s3.";
    static final String ENDPOINT = PREFIX + "endpoint";
    static final String REGION = PREFIX + "region";
    static final String PATH_STYLE = PREFIX + "path-style";
    static final String ACCESS_KEY = PREFIX + "access-key";
    static final String SECRET_KEY = PREFIX + "secret-key";
    static final String MAX_ATTEMPTS = PREFIX + "max-attempts";
    static final String TIMEOUT_MS = PREFIX + "timeout-ms";

    static final Set<String> NAMES = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            ENDPOINT, REGION, PATH_STYLE, ACCESS_KEY, SECRET_KEY, MAX_ATTEMPTS, TIMEOUT_MS)));

    static final int DEFAULT_MAX_ATTEMPTS = 6;
    static final int MAX_MAX_ATTEMPTS = 100;
    static final long DEFAULT_TIMEOUT_MS = 10_000;
    static final long MAX_TIMEOUT_MS = 600_000;

    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final URI endpoint;
    private final String region;
    private final boolean pathStyle;
    private final String accessKey;
    private final String secretKey;
    private final int maxAttempts;
    private final Duration attemptTimeout;

    private S3Options(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey,
            int maxAttempts, Duration attemptTimeout) {
        this.endpoint = endpoint;
        this.region = region;
        this.pathStyle = pathStyle;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.maxAttempts = maxAttempts;
        this.attemptTimeout = attemptTimeout;
    }

    /**
     * Reads the {@code sync.s3.*} entries of {@code options}, ignoring other {@code sync.*} ones.
     *
     * @throws IllegalArgumentException naming the option when a value is unusable
     */
    static S3Options parse(Map<String, String> options) {
        for (String name : options.keySet()) {
            if (name != null && name.startsWith(PREFIX) && !NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; S3 options are " + NAMES);
            }
        }
        String accessKey = secret(options, ACCESS_KEY);
        String secretKey = secret(options, SECRET_KEY);
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException(ACCESS_KEY + " and " + SECRET_KEY
                    + " go together: give both, or neither to use the default AWS credential chain");
        }
        return new S3Options(
                endpoint(options),
                region(options),
                bool(options, PATH_STYLE, false),
                accessKey,
                secretKey,
                (int) number(options, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, MAX_MAX_ATTEMPTS),
                Duration.ofMillis(number(options, TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS)));
    }

    /** The endpoint override, or null for AWS itself. */
    URI endpoint() {
        return endpoint;
    }

    /** The configured region, or null to use the SDK's default chain. */
    String region() {
        return region;
    }

    boolean pathStyle() {
        return pathStyle;
    }

    boolean hasStaticCredentials() {
        return accessKey != null;
    }

    String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    Duration attemptTimeout() {
        return attemptTimeout;
    }

    @Override
    public String toString() {
        return "S3Options[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
                + ", credentials=" + (hasStaticCredentials() ? "static" : "default chain")
                + ", maxAttempts=" + maxAttempts + ", attemptTimeout=" + attemptTimeout.toMillis() + "ms]";
    }

    private static String value(Map<String, String> options, String name) {
        String raw = options.get(name);
        if (raw == null) {
            return null;
        }
        String trimmed = raw.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty; leave it out to use the default");
        }
        return trimmed;
    }

    private static String secret(Map<String, String> options, String name) {
        String raw = options.get(name);
        if (raw == null) {
            return null;
        }
        // Never echo the value: a stray character in a key must not land in a log.
        if (raw.isBlank()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (!raw.equals(raw.strip()) || raw.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " has leading/trailing blanks or control characters");
        }
        return raw;
    }

    private static URI endpoint(Map<String, String> options) {
        String text = value(options, ENDPOINT);
        if (text == null) {
            return null;
        }
        if (text.contains("@")) {
            // Checked on the raw text and not echoed: user info in a URL is usually a credential,
            // and one containing '/' would not even parse as user info.
            throw new IllegalArgumentException(ENDPOINT + " must not contain user info ('@'); use "
                    + ACCESS_KEY + " and " + SECRET_KEY);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENDPOINT + " is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(ENDPOINT + " must be an http:// or https:// URL with a host, got '"
                    + text + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(ENDPOINT + " must not have a query or fragment");
        }
        return uri;
    }

    private static String region(Map<String, String> options) {
        String text = value(options, REGION);
        if (text != null && !REGION_PATTERN.matcher(text).matches()) {
            throw new IllegalArgumentException(REGION + " must look like 'us-east-1', got '" + text + "'");
        }
        return text;
    }

    private static boolean bool(Map<String, String> options, String name, boolean fallback) {
        String text = value(options, name);
        if (text == null) {
            return fallback;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + text + "'");
    }

    private static long number(Map<String, String> options, String name, long fallback, long min, long max) {
        String text = value(options, name);
        if (text == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            parsed = Long.MIN_VALUE;
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                    + ", got '" + text + "'");
        }
        return parsed;
    }
}
