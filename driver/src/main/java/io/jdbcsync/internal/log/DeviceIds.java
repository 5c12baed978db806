package io.jdbcsync.internal.log;

/**
 * Device ids become directory names and object keys in every shared log, so only ids from a
 * safe alphabet are accepted wherever one arrives: from the app, from a log listing, from a file.
 */
public final class DeviceIds {

    private DeviceIds() {
    }

    /** True for 1 to 64 characters from A-Z a-z 0-9 _ -. */
    public static boolean isValid(String device) {
        return BatchName.isValidDevice(device);
    }

    /** The id itself; IllegalArgumentException when it is not a valid device id. */
    public static String require(String device) {
        return BatchName.requireValidDevice(device);
    }
}
