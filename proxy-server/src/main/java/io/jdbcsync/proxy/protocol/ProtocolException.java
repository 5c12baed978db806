package io.jdbcsync.proxy.protocol;

/** A packet that does not follow the protocol: the connection answers with an error and closes. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}
