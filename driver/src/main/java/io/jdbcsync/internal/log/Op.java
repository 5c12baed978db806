package io.jdbcsync.internal.log;

/** What a log entry did to its row. Codes are stored in the log table and in batches: never renumber. */
public enum Op {
    /** The row was created (or re-created); the entry carries every column. */
    INSERT('I'),
    /** Some columns changed; the entry carries only those. */
    UPDATE('U'),
    /** The row was removed; the entry carries no columns. */
    DELETE('D');

    private final char code;

    Op(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static Op ofCode(int code) {
        switch (code) {
            case 'I': return INSERT;
            case 'U': return UPDATE;
            case 'D': return DELETE;
            default: throw new IllegalArgumentException("unknown change operation code " + code);
        }
    }
}
