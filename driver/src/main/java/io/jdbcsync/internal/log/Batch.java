package io.jdbcsync.internal.log;

import java.util.List;

/** The unit written to the shared log: consecutive log entries of one device. */
public record Batch(String device, long sequence, List<LogEntry> entries) {
}
