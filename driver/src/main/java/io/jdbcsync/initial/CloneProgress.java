package io.jdbcsync.initial;

/**
 * Where a clone is: the table being copied and the rows copied so far.
 *
 * @param table      the table being copied (null once the clone is finished); "{@code <table> (versions)}"
 *                   while the version metadata of its rows is copied, before its rows
 * @param tableRows  rows of that table copied so far (including earlier, interrupted runs)
 * @param tableTotal rows of that table in the source when the run started
 * @param rows       rows copied by this run, every table
 * @param totalRows  rows of every synced table in the source when the run started
 * @param finished   true for the last event of a completed clone
 */
public record CloneProgress(String table, long tableRows, long tableTotal, long rows, long totalRows, boolean finished) {
}
