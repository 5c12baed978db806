package io.jdbcsync.internal.log;

import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.spi.SharedLogProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Opens {@link DirectorySharedLog}s for {@code file:} locations such as {@code file:///srv/sync/app}. */
public final class DirectorySharedLogProvider implements SharedLogProvider {

    @Override
    public boolean supports(String scheme) {
        return "file".equalsIgnoreCase(scheme);
    }

    @Override
    public Set<String> optionNames() {
        return Set.of();
    }

    @Override
    public SharedLog open(URI location, Map<String, String> options) throws IOException {
        return new DirectorySharedLog(pathOf(location));
    }

    static Path pathOf(URI location) {
        if (location.isOpaque()) {
            // file:relative/dir
            return Path.of(location.getSchemeSpecificPart());
        }
        try {
            return Path.of(location);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException("cannot use " + location
                    + " as a shared log directory: write it as file:///absolute/path (" + e.getMessage() + ")", e);
        }
    }
}
