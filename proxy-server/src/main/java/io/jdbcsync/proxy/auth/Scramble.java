package io.jdbcsync.proxy.auth;

import java.security.SecureRandom;

/** The 20-byte nonce of the handshake: random printable bytes, never NUL (clients read it as a C string). */
public final class Scramble {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Scramble() {
    }

    public static byte[] create() {
        byte[] bytes = new byte[20];
        for (int i = 0; i < bytes.length; i++) {
            // 0x21..0x7E: printable ASCII, so no NUL and no '$' quirks of some clients' logging either.
            int b;
            do {
                b = 0x21 + RANDOM.nextInt(0x7E - 0x21 + 1);
            } while (b == '$');
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
