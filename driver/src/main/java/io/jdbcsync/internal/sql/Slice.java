package io.jdbcsync.internal.sql;

/**
 * A part of the app's SQL text, with the app parameters ({@code ?}) it contains, so that derived
 * statements built from it bind the same values.
 *
 * @param parameters 1-based indexes of the app parameters inside, in text order
 */
public record Slice(String text, int[] parameters) {

    public static final Slice EMPTY = new Slice("", new int[0]);

    public boolean isEmpty() {
        return text.isBlank();
    }

    @Override
    public String toString() {
        return text;
    }
}
