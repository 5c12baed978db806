package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.spi.SharedLogProvider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/** Discovery, options and locations; no server needed, as opening sends no request. */
class S3SharedLogProviderTest {
    private static final URI LOCATION = URI.create("s3://bucket/prefix");
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new HashMap<>();
        options.put("sync.s3.endpoint", NOWHERE.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                options.remove(pairs[i]);
            } else {
                options.put(pairs[i], pairs[i + 1]);
            }
        }
        return options;
    }

    private static IllegalArgumentException rejected(URI location, Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> new S3SharedLogProvider().open(location, options));
    }

    @Test
    void foundThroughServiceLoaderForS3() {
        List<SharedLogProvider> forS3 = ServiceLoader.load(SharedLogProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.supports("s3"))
                .toList();
        assertEquals(1, forS3.size());
        SharedLogProvider provider = forS3.get(0);
        assertInstanceOf(S3SharedLogProvider.class, provider);
        assertTrue(provider.supports("S3"));
        assertFalse(provider.supports("file"));
        assertFalse(provider.supports("s3a"));
    }

    @Test
    void namesEveryOption() {
        assertEquals(Set.of("sync.s3.endpoint", "sync.s3.region", "sync.s3.path-style", "sync.s3.access-key",
                "sync.s3.secret-key", "sync.s3.max-attempts", "sync.s3.timeout-ms"),
                new S3SharedLogProvider().optionNames());
    }

    @Test
    void opensWithoutContactingTheServer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (SharedLog log = new S3SharedLogProvider().open(LOCATION,
                options("sync.s3.endpoint", "http://127.0.0.1:" + closedPort, "sync.device", "x"))) {
            assertEquals("s3://bucket/prefix at http://127.0.0.1:" + closedPort, log.describe());
            assertTrue(((S3SharedLog) log).requestCounts().values().stream().allMatch(n -> n == 0));
        }
    }

    @Test
    void describesTheRegionWhenTalkingToAws() throws Exception {
        try (SharedLog log = new S3SharedLogProvider().open(URI.create("s3://bucket/a/b/"),
                options("sync.s3.endpoint", null, "sync.s3.region", "eu-central-1"))) {
            assertEquals("s3://bucket/a/b at eu-central-1", log.describe());
        }
    }

    @Test
    void endpointWithoutRegionFallsBackToUsEast1() {
        assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null
                && System.getProperty("aws.region") == null, "a region is configured in this environment");
        assumeTrue(System.getenv("AWS_CONFIG_FILE") == null
                && !Files.exists(Path.of(System.getProperty("user.home"), ".aws", "config")),
                "an AWS profile may name a region here");
        assertEquals(Region.US_EAST_1, S3ClientFactory.region(S3Options.parse(options())));
        assertEquals(Region.of("eu-west-3"),
                S3ClientFactory.region(S3Options.parse(options("sync.s3.region", "eu-west-3"))));
    }

    @Test
    void defaultsApply() {
        S3Options parsed = S3Options.parse(Map.of());
        assertEquals(null, parsed.endpoint());
        assertEquals(null, parsed.region());
        assertFalse(parsed.pathStyle());
        assertFalse(parsed.hasStaticCredentials());
        assertEquals(6, parsed.maxAttempts());
        assertEquals(10_000, parsed.attemptTimeout().toMillis());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sync.s3.path-style   | yes       | sync.s3.path-style must be true or false, got 'yes'",
        "sync.s3.max-attempts | 0         | sync.s3.max-attempts must be a whole number from 1 to 100, got '0'",
        "sync.s3.max-attempts | many      | sync.s3.max-attempts must be a whole number from 1 to 100, got 'many'",
        "sync.s3.max-attempts | 101       | sync.s3.max-attempts must be a whole number from 1 to 100, got '101'",
        "sync.s3.timeout-ms   | -5        | sync.s3.timeout-ms must be a whole number from 1 to 600000, got '-5'",
        "sync.s3.timeout-ms   | 1.5       | sync.s3.timeout-ms must be a whole number from 1 to 600000, got '1.5'",
        "sync.s3.region       | US East   | sync.s3.region must look like 'us-east-1', got 'US East'",
        "sync.s3.endpoint     | ftp://h   | sync.s3.endpoint must be an http:// or https:// URL with a host, got 'ftp://h'",
        "sync.s3.endpoint     | h:9000    | sync.s3.endpoint must be an http:// or https:// URL with a host, got 'h:9000'",
        "sync.s3.endpoint     | http://h/?a=b | sync.s3.endpoint must not have a query or fragment",
        "sync.s3.endpoint     | '  '      | sync.s3.endpoint is empty; leave it out to use the default",
        "sync.s3.endpiont     | http://h  | unknown option sync.s3.endpiont; S3 options are [sync.s3.endpoint,"
                + " sync.s3.region, sync.s3.path-style, sync.s3.access-key, sync.s3.secret-key, sync.s3.max-attempts,"
                + " sync.s3.timeout-ms]",
    })
    void badValuesAreRejectedNamingTheOption(String name, String value, String message) {
        assertEquals(message, rejected(LOCATION, options(name, value)).getMessage());
    }

    @Test
    void badEndpointSyntaxIsRejected() {
        String message = rejected(LOCATION, options("sync.s3.endpoint", "http://bad host")).getMessage();
        assertTrue(message.startsWith("sync.s3.endpoint is not a valid URL"), message);
    }

    @Test
    void credentialsComeInPairsAndAreNeverEchoed() {
        String secret = "s3cr3t/Value+xyz";
        String access = "AKIAPAIRTEST000001";
        for (Map<String, String> bad : List.of(
                options("sync.s3.access-key", access),
                options("sync.s3.secret-key", secret),
                options("sync.s3.access-key", access, "sync.s3.secret-key", " " + secret),
                options("sync.s3.access-key", "", "sync.s3.secret-key", secret),
                options("sync.s3.endpoint", "http://" + access + ":" + secret + "@host"),
                options("sync.s3.endpoint", "http://" + access + ":s3cr3t@host"))) {
            String message = rejected(LOCATION, bad).getMessage();
            assertFalse(message.contains(secret) || message.contains(access), message);
        }
        S3Options parsed = S3Options.parse(options("sync.s3.access-key", access, "sync.s3.secret-key", secret));
        assertTrue(parsed.hasStaticCredentials());
        assertFalse(parsed.toString().contains(secret) || parsed.toString().contains(access), parsed.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:///prefix", "s3://user:pass@bucket/p", "s3://user:pa/ss@bucket/p", "file:/tmp/log", "s3://bucket/a//b",
        "s3://bucket/../x", "s3://bucket/p?x=1", "s3://bucket/p#f", "s3://bucket/white%20space", "s3:bucket",
        "s3://bucket:9000/p"})
    void badLocationsAreRejected(String location) {
        String message = rejected(URI.create(location), options()).getMessage();
        assertFalse(message.contains("pass"), message);
    }

    @ParameterizedTest
    @CsvSource({
        "s3://bucket, s3://bucket",
        "s3://bucket/, s3://bucket",
        "s3://bucket/a/b/, s3://bucket/a/b",
        "s3://my.bucket-1/x_y.z, s3://my.bucket-1/x_y.z",
    })
    void locationsAreNormalised(String location, String described) throws Exception {
        try (SharedLog log = new S3SharedLogProvider().open(URI.create(location), options())) {
            assertEquals(described + " at " + NOWHERE, log.describe());
        }
    }
}
