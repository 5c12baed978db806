package io.jdbcsync.spi;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Opens a {@link SharedLog} for the URI schemes it supports. Registered in
 * {@code META-INF/services/io.jdbcsync.spi.SharedLogProvider}.
 */
public interface SharedLogProvider {

    /** True if this provider handles {@code scheme} (lower case, e.g. {@code "file"}, {@code "s3"}). */
    boolean supports(String scheme);

    /**
     * Option names (with their {@code sync.} prefix) this provider understands beyond the driver's
     * own, so that the driver can reject unknown options at connect time.
     */
    java.util.Set<String> optionNames();

    /**
     * Opens the log at {@code location}.
     *
     * @param options every {@code sync.*} option the connection was given (values as strings)
     */
    SharedLog open(URI location, Map<String, String> options) throws IOException;
}
