package io.jdbcsync.internal.sql;

/**
 * A control statement as the engine receives it: the procedure and its one argument (the string
 * literal of the text, unescaped, or the value bound to its {@code ?}; the sequence of a
 * {@code NEXT VALUE FOR}), null when it has none.
 */
public record ControlCall(ControlProcedure procedure, String argument) {
}
