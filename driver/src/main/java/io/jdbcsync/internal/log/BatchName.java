package io.jdbcsync.internal.log;

import java.util.regex.Pattern;

/**
 * How batches are named: the device id, and the sequence zero-padded to 20 digits so that lexical
 * order is sequence order.
 */
final class BatchName {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private BatchName() {
    }

    /** {@code 7} as {@code 00000000000000000007}. */
    static String paddedSequence(long sequence) {
        String digits = Long.toString(sequence);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }

    /** {@code d1/00000000000000000007}, the way batches are named in messages. */
    static String of(String device, long sequence) {
        return device + "/" + paddedSequence(sequence);
    }

    static boolean isValidDevice(String device) {
        return device != null && DEVICE_ID.matcher(device).matches();
    }

    /** Device ids become directory and key names, so only a safe alphabet is allowed. */
    static String requireValidDevice(String device) {
        if (!isValidDevice(device)) {
            throw new IllegalArgumentException("invalid device id '" + device
                    + "': use 1 to 64 characters from A-Z a-z 0-9 _ -");
        }
        return device;
    }

    static long requireValidSequence(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("invalid batch sequence " + sequence + ": must not be negative");
        }
        return sequence;
    }
}
