package io.jdbcsync.internal.sql;

/** Where the value of one column of a write comes from, as far as the text alone tells. */
public sealed interface ValueSource {

    /** A {@code ?} bound by the app; {@code index} is its 1-based position in the app's SQL. */
    record Parameter(int index) implements ValueSource { }

    /** A literal whose stored value is known without asking the database. */
    record Literal(Object value) implements ValueSource { }

    /** The DEFAULT keyword. */
    record Default(int start, int end) implements ValueSource { }

    /** Anything else: the database computes it, so capture reads the stored result back. */
    record Expression(Slice text) implements ValueSource { }

    /** True when the value is known before execution (parameter or literal). */
    default boolean known() {
        return this instanceof Parameter || this instanceof Literal;
    }

    /** True for a literal NULL, which the database turns into a generated key for key columns. */
    default boolean isNullLiteral() {
        return this instanceof Literal l && l.value() == null;
    }
}
