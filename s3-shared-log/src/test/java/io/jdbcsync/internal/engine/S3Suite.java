package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Properties;

/** Runs the driver's sync scenarios through S3: one local S3 server per test class, a prefix per fleet. */
final class S3Suite {
    private static final String ACCESS = "AKIASUITE0000000TEST";
    private static final String SECRET = "suite/secret/key/for/tests/only/0000";
    private static final String BUCKET = "suite";

    private S3Suite() {
    }

    static S3ProxyExtension start() throws Exception {
        S3ProxyExtension s3 = S3ProxyExtension.builder()
                .withCredentials(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .withBlobStoreProvider("transient")
                .build();
        s3.beforeEach(null);
        try (S3Client client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(s3.getUri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        Properties p = new Properties();
        p.setProperty("sync.s3.endpoint", s3.getUri().toString());
        p.setProperty("sync.s3.path-style", "true");
        p.setProperty("sync.s3.region", "us-east-1");
        p.setProperty("sync.s3.access-key", ACCESS);
        p.setProperty("sync.s3.secret-key", SECRET);
        Fleet.optionsOverride = p;
        Fleet.logOverride = name -> "s3://" + BUCKET + "/" + name;
        return s3;
    }

    static void stop(S3ProxyExtension s3) {
        Fleet.logOverride = null;
        Fleet.optionsOverride = null;
        if (s3 != null) {
            s3.afterEach(null);
        }
    }
}
