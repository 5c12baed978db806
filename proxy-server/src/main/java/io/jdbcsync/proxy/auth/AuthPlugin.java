package io.jdbcsync.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The password checks of the two supported plugins; the proxy knows each user's password. */
public enum AuthPlugin {
    /** SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). */
    MYSQL_NATIVE_PASSWORD("mysql_native_password", "SHA-1") {
        @Override
        byte[] expected(byte[] password, byte[] scramble) {
            byte[] stage1 = digest(password);
            byte[] stage2 = digest(stage1);
            byte[] mix = digest(scramble, stage2);
            return xor(stage1, mix);
        }
    },
    /** The fast path: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble). */
    CACHING_SHA2_PASSWORD("caching_sha2_password", "SHA-256") {
        @Override
        byte[] expected(byte[] password, byte[] scramble) {
            byte[] stage1 = digest(password);
            byte[] stage2 = digest(stage1);
            byte[] mix = digest(stage2, scramble);
            return xor(stage1, mix);
        }
    };

    private final String pluginName;
    private final String algorithm;

    AuthPlugin(String pluginName, String algorithm) {
        this.pluginName = pluginName;
        this.algorithm = algorithm;
    }

    public String pluginName() {
        return pluginName;
    }

    public static AuthPlugin byName(String name) {
        for (AuthPlugin p : values()) {
            if (p.pluginName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Whether the client's scrambled response proves it knows the password. */
    public boolean verify(String password, byte[] scramble, byte[] response) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if (pw.length == 0) {
            // An empty password is sent as an empty response (some clients send one NUL byte).
            return response.length == 0 || (response.length == 1 && response[0] == 0);
        }
        return MessageDigest.isEqual(expected(pw, scramble), response);
    }

    abstract byte[] expected(byte[] password, byte[] scramble);

    byte[] digest(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
