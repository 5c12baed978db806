package io.jdbcsync.s3;

import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.spi.SharedLogProvider;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens {@code s3://bucket/prefix} shared logs. Options (all optional, values as strings):
 *
 * <ul>
 *   <li>{@code sync.s3.endpoint}: URL of an S3-compatible server instead of AWS
 *   <li>{@code sync.s3.region}: default from the AWS region chain; {@code us-east-1} with an
 *       endpoint when nothing else names one
 *   <li>{@code sync.s3.path-style}: {@code true} for {@code host/bucket/key} addressing
 *       (default {@code false})
 *   <li>{@code sync.s3.access-key}, {@code sync.s3.secret-key}: both or neither; without them the
 *       AWS default credential chain applies
 *   <li>{@code sync.s3.max-attempts}: attempts per request, default 6
 *   <li>{@code sync.s3.timeout-ms}: time limit per attempt, default 10000
 * </ul>
 *
 * Opening sends no request, so a log can be opened while S3 is unreachable.
 */
public final class S3SharedLogProvider implements SharedLogProvider {

    public S3SharedLogProvider() {
    }

    @Override
    public boolean supports(String scheme) {
        return "s3".equalsIgnoreCase(scheme);
    }

    @Override
    public Set<String> optionNames() {
        return S3Options.NAMES;
    }

    /**
     * @throws IllegalArgumentException when the location or an option is unusable; the message
     *     names the option and never contains credentials
     */
    @Override
    public SharedLog open(URI location, Map<String, String> options) {
        return open(location, options, Thread::sleep);
    }

    /** As {@link #open(URI, Map)}, waiting between attempts with {@code sleeper}. */
    S3SharedLog open(URI location, Map<String, String> options, Sleeper sleeper) {
        Objects.requireNonNull(location, "location");
        S3Layout layout = S3Layout.of(location);
        S3Options parsed = S3Options.parse(options == null ? Map.of() : options);
        S3Client client = S3ClientFactory.create(parsed);
        RequestCounter counter = new RequestCounter();
        Retrier retrier = new Retrier(parsed.maxAttempts(), parsed.attemptTimeout().toMillis(), new Backoff(),
                sleeper, counter, new Redactor(parsed.accessKey(), parsed.secretKey()));
        String where = parsed.endpoint() != null
                ? parsed.endpoint().toString()
                : client.serviceClientConfiguration().region().id();
        return new S3SharedLog(client, layout, retrier, counter, where);
    }
}
