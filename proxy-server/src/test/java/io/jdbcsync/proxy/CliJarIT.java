package io.jdbcsync.proxy;

import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole command line as one jar ({@code proxy-server/target/jdbc-sync-cli.jar}): it syncs
 * SQLite devices through an S3 log with nothing else on the class path.
 */
class CliJarIT {
    private static final String ACCESS_KEY = "AKIACLIJARTEST000001";
    private static final String SECRET_KEY = "cliJar/Secret+Key/0123456789abcdef";

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .withBlobStoreProvider("transient")
            .build();

    private static String run(String... args) throws Exception {
        Path jar = Path.of("target", "jdbc-sync-cli.jar");
        assertTrue(Files.isRegularFile(jar), "the package phase builds " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static void createBucket(URI endpoint, String bucket) throws Exception {
        // S3Proxy accepts an unsigned bucket creation only with auth off; the SDK is on the test class path.
        try (var client = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(endpoint).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    @Test
    void syncsSqliteDevicesThroughS3(@TempDir Path dir) throws Exception {
        URI endpoint = S3.getUri();
        createBucket(endpoint, "cli");
        String s3 = "sync.s3.endpoint=" + endpoint + "&sync.s3.path-style=true&sync.s3.region=us-east-1"
                + "&sync.s3.access-key=" + ACCESS_KEY + "&sync.s3.secret-key=" + SECRET_KEY.replace("+", "%2B");
        String[] urls = new String[2];
        for (int i = 0; i < 2; i++) {
            String file = dir.resolve("device" + i + ".db").toString();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
                s.execute("INSERT INTO note (id, body) VALUES (" + (i + 1) + ", 'from device " + i + "')");
            }
            urls[i] = "jdbc:sync:sqlite:" + file + "?" + s3;
        }
        for (String url : List.of(urls[0], urls[1], urls[0])) {
            assertTrue(run("sync", "--url", url, "--log", "s3://cli/app").startsWith("pushed "));
        }
        String status = run("status", "--url", urls[0], "--log", "s3://cli/app");
        assertTrue(status.contains("s3://cli/app"), status);
        for (int i = 0; i < 2; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("device" + i + ".db"));
                 Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM note")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "device " + i + " has both notes");
            }
        }
        assertTrue(run("--version").startsWith("jdbc-sync "));
    }
}
