package io.jdbcsync.s3;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A local S3 server for tests, and logs opened against it. */
final class TestS3 {
    /** Distinctive values, so a test can search any text for them. */
    static final String ACCESS_KEY = "AKIAJDBCSYNCTEST4711";
    static final String SECRET_KEY = "jdbcSync/Secret+Key/zq8RfT2wXy0vN5mK";
    static final String BUCKET = "shared-log";
    static final URI LOCATION = URI.create("s3://" + BUCKET + "/team/app");

    private TestS3() {
    }

    /** S3Proxy on 127.0.0.1 with a filesystem store, a new one per test method. */
    static S3ProxyExtension server() {
        return server("filesystem");
    }

    /** S3Proxy with the given blob store: "filesystem" or "transient" (in memory). */
    static S3ProxyExtension server(String store) {
        return S3ProxyExtension.builder()
                .withCredentials(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider(store)
                .build();
    }

    static Map<String, String> options(URI endpoint) {
        Map<String, String> options = new HashMap<>();
        options.put("sync.s3.endpoint", endpoint.toString());
        options.put("sync.s3.path-style", "true");
        options.put("sync.s3.region", "us-east-1");
        options.put("sync.s3.access-key", ACCESS_KEY);
        options.put("sync.s3.secret-key", SECRET_KEY);
        options.put("sync.s3.timeout-ms", "5000");
        // Also an option of the driver's own: the provider must ignore it.
        options.put("sync.device", "ignored-here");
        return options;
    }

    /** A plain client to set up buckets and look behind the log's back. */
    static S3Client rawClient(URI endpoint) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    static void createBucket(URI endpoint) {
        try (S3Client client = rawClient(endpoint)) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
    }

    /** Opens the log with the given sleeper and extra options over the defaults above. */
    static S3SharedLog open(URI endpoint, Sleeper sleeper, String... extra) {
        Map<String, String> options = options(endpoint);
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return new S3SharedLogProvider().open(LOCATION, options, sleeper);
    }
}
