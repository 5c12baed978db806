package io.jdbcsync.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.spi.SharedLogProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedLogsTest {

    @TempDir
    Path dir;

    @Test
    void aPlainPathIsADirectoryLog() throws Exception {
        try (SharedLog log = SharedLogs.open(dir.resolve("plain").toString(), Map.of())) {
            assertInstanceOf(DirectorySharedLog.class, log);
            assertEquals("directory " + dir.resolve("plain").toAbsolutePath(), log.describe());
        }
    }

    @Test
    void aFileUriIsADirectoryLog() throws Exception {
        Path target = dir.resolve("by uri");
        try (SharedLog log = SharedLogs.open(target.toUri().toString(), Map.of())) {
            log.putBatch("d1", 1, "x".getBytes(StandardCharsets.UTF_8));
            assertEquals("directory " + target.toAbsolutePath(), log.describe());
        }
        try (SharedLog again = SharedLogs.open("FILE://" + target.toUri().getRawPath(), Map.of())) {
            assertEquals(java.util.List.of(1L), again.listBatches("d1", -1, 10));
        }
    }

    @Test
    void recognisesSchemesButNotDriveLetters() {
        assertEquals("s3", SharedLogs.schemeOf("s3://bucket/prefix"));
        assertEquals("file", SharedLogs.schemeOf("FILE:///srv/sync"));
        assertEquals("file", SharedLogs.schemeOf("file:relative"));
        assertNull(SharedLogs.schemeOf("C:\\sync\\app"));
        assertNull(SharedLogs.schemeOf("c:/sync/app"));
        assertNull(SharedLogs.schemeOf("/srv/sync/app"));
        assertNull(SharedLogs.schemeOf("relative/dir"));
        assertNull(SharedLogs.schemeOf("./odd:name"));
        assertNull(SharedLogs.schemeOf("/home/me/a:b"));
    }

    @Test
    void unknownSchemesNameTheMissingModule() {
        IOException s3 = assertThrows(IOException.class, () -> SharedLogs.open("s3://bucket/app", Map.of()));
        assertEquals("no shared log implementation for scheme 's3' on the class path"
                + " (add the jdbc-sync-s3-shared-log module)", s3.getMessage());
        IOException ftp = assertThrows(IOException.class, () -> SharedLogs.open("ftp://host/app", Map.of()));
        assertEquals("no shared log implementation for scheme 'ftp' on the class path", ftp.getMessage());
    }

    @Test
    void theDirectoryProviderIsRegisteredAsAService() {
        boolean found = false;
        for (SharedLogProvider provider : ServiceLoader.load(SharedLogProvider.class)) {
            found |= provider instanceof DirectorySharedLogProvider;
        }
        assertTrue(found, "META-INF/services registers DirectorySharedLogProvider");
        DirectorySharedLogProvider provider = new DirectorySharedLogProvider();
        assertTrue(provider.supports("file"));
        assertTrue(!provider.supports("s3"));
        assertEquals(Set.of(), provider.optionNames());
        assertEquals(1, SharedLogs.providers().stream().filter(p -> p instanceof DirectorySharedLogProvider).count(),
                "found through both class loaders, kept once");
    }

    @Test
    void providerOptionNamesUnionsProviders() {
        Set<String> names = SharedLogs.providerOptionNames();
        assertEquals(Set.of(), names, "only the directory provider, which takes no options, is on this class path");
        assertThrows(UnsupportedOperationException.class, () -> names.add("sync.x"));
    }

    @Test
    void fileUrisWithAHostAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedLogs.open("file://server/share/app", Map.of()));
        assertTrue(e.getMessage().contains("write it as file:///absolute/path"), e.getMessage());
    }
}
