package io.jdbcsync.internal.log;

import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.spi.SharedLogProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the shared log a connection names: a plain file-system path, or a URI whose scheme picks a
 * {@link SharedLogProvider} registered through {@link ServiceLoader}.
 */
public final class SharedLogs {

    private static final Logger LOG = LoggerFactory.getLogger(SharedLogs.class);

    /** RFC 3986 scheme; one letter alone is a Windows drive ({@code C:\sync}), not a scheme. */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*", Pattern.DOTALL);

    /** Stops the search should a broken class path keep failing the same way. */
    private static final int MAX_PROVIDER_ERRORS = 20;

    private SharedLogs() {
    }

    /**
     * Opens {@code location}: {@code /srv/sync/app}, {@code C:\sync\app}, {@code file:///srv/sync/app},
     * {@code s3://bucket/prefix}, ...
     *
     * @param options every {@code sync.*} option of the connection, passed to the provider
     * @throws IOException when no provider on the class path handles the scheme, or the log
     *     cannot be opened
     */
    public static SharedLog open(String location, Map<String, String> options) throws IOException {
        String scheme = schemeOf(location);
        if (scheme == null) {
            return new DirectorySharedLog(Path.of(location));
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid shared log location '" + location + "': " + e.getMessage(), e);
        }
        for (SharedLogProvider provider : providers()) {
            if (provider.supports(scheme)) {
                return provider.open(uri, options);
            }
        }
        String hint = scheme.equals("s3") ? " (add the jdbc-sync-s3-shared-log module)" : "";
        throw new IOException("no shared log implementation for scheme '" + scheme + "' on the class path" + hint);
    }

    /** Every option name that some provider on the class path understands. */
    public static Set<String> providerOptionNames() {
        Set<String> names = new TreeSet<>();
        for (SharedLogProvider provider : providers()) {
            names.addAll(provider.optionNames());
        }
        return Set.copyOf(names);
    }

    /** The lower-case scheme of {@code location}, or null when it is a file-system path. */
    static String schemeOf(String location) {
        var matcher = SCHEME.matcher(location);
        return matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * Providers visible to the thread's context class loader (application servers load the
     * provider modules there) and to this class's own loader, each class once; the built-in
     * directory provider is always there, even in a repackaged jar that lost its service files.
     */
    static List<SharedLogProvider> providers() {
        Map<String, SharedLogProvider> byClass = new LinkedHashMap<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            load(context, byClass);
        }
        load(SharedLogs.class.getClassLoader(), byClass);
        byClass.putIfAbsent(DirectorySharedLogProvider.class.getName(), new DirectorySharedLogProvider());
        return new ArrayList<>(byClass.values());
    }

    private static void load(ClassLoader loader, Map<String, SharedLogProvider> byClass) {
        Iterator<SharedLogProvider> found = ServiceLoader.load(SharedLogProvider.class, loader).iterator();
        for (int errors = 0; errors < MAX_PROVIDER_ERRORS; ) {
            try {
                if (!found.hasNext()) {
                    return;
                }
                SharedLogProvider provider = found.next();
                byClass.putIfAbsent(provider.getClass().getName(), provider);
            } catch (ServiceConfigurationError e) {
                // One broken provider must not hide the others.
                LOG.warn("Skipping a shared log provider that cannot be loaded: {}", e.getMessage(), e);
                errors++;
            }
        }
        LOG.warn("Giving up loading shared log providers from {} after {} errors", loader, MAX_PROVIDER_ERRORS);
    }
}
