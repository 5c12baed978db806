package io.jdbcsync.proxy.clients;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The client programs under src/test/resources/clients, copied to a file a process can run. */
final class ClientScripts {

    private ClientScripts() {
    }

    static Path extract(String name) throws IOException {
        Path dir = Path.of("target", "clients");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        try (InputStream in = ClientScripts.class.getResourceAsStream("/clients/" + name)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file.toAbsolutePath();
    }
}
