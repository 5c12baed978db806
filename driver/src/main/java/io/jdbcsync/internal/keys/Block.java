package io.jdbcsync.internal.keys;

/** A block of ids {@code first..last} claimed by one writer of one device; {@code index} names it in the log. */
public record Block(long index, long first, long last) {

    static Block of(long index, long size, long max) {
        long first = index * size + 1;
        return new Block(index, first, Math.min(max, first + size - 1));
    }
}
