package io.jdbcsync.proxy.auth;

import java.util.Map;

/** The accounts clients log in with: user name to password. */
public final class Users {
    private final Map<String, String> passwords;

    public Users(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** The password of this user, or null for an unknown user. */
    public String password(String user) {
        return user == null ? null : passwords.get(user);
    }
}
