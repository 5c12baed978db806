package io.jdbcsync.internal.sql;

/**
 * What type a database gives a plain literal, so that a literal hoisted into a parameter is bound
 * as the value the database would have read ({@link LiteralShape}).
 */
public enum LiteralTyping {
    /** SQLite: {@code 1.5} is a REAL, {@code X'..'} a BLOB. */
    REAL_DECIMALS(true, true),
    /** MariaDB: {@code 1.5} is an exact DECIMAL; {@code X'..'} reads as a number in a numeric context, so stays. */
    EXACT_DECIMALS(false, false);

    private final boolean decimalIsReal;
    private final boolean hexIsBlob;

    LiteralTyping(boolean decimalIsReal, boolean hexIsBlob) {
        this.decimalIsReal = decimalIsReal;
        this.hexIsBlob = hexIsBlob;
    }

    boolean decimalIsReal() {
        return decimalIsReal;
    }

    boolean hexIsBlob() {
        return hexIsBlob;
    }
}
