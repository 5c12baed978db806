package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The client's answer to the handshake (protocol 4.1 form), or only its first 32 bytes when the
 * client asks for TLS first.
 */
public record HandshakeResponse(int capabilities, int maxPacket, int charset, String user, byte[] authResponse,
                                String database, String authPlugin) {

    public static HandshakeResponse decode(ByteBuf buf) {
        if (buf.readableBytes() < 32) {
            throw new ProtocolException("handshake response shorter than 32 bytes");
        }
        int capabilities = buf.readIntLE();
        if ((capabilities & Capabilities.PROTOCOL_41) == 0) {
            throw new ProtocolException("clients without CLIENT_PROTOCOL_41 are not supported");
        }
        int maxPacket = buf.readIntLE();
        int charset = buf.readUnsignedByte();
        buf.skipBytes(23);
        if (!buf.isReadable()) {
            return new HandshakeResponse(capabilities, maxPacket, charset, null, new byte[0], null, null);
        }
        String user = Wire.readNulString(buf);
        byte[] auth = (capabilities & Capabilities.PLUGIN_AUTH_LENENC_DATA) != 0
                ? Wire.readLenencBytes(buf) : readAuth(buf, capabilities);
        String database = null;
        if ((capabilities & Capabilities.CONNECT_WITH_DB) != 0 && buf.isReadable()) {
            database = Wire.readNulString(buf);
            if (database.isEmpty()) {
                database = null;
            }
        }
        String plugin = readPlugin(buf, capabilities);
        // Connection attributes (CLIENT_CONNECT_ATTRS) follow; the server has no use for them.
        buf.skipBytes(buf.readableBytes());
        return new HandshakeResponse(capabilities, maxPacket, charset, user, auth, database, plugin);
    }

    /**
     * COM_CHANGE_USER after its command byte: user, auth response, database, and (when the client
     * sends more) character set, auth plugin and connection attributes. Read with the capabilities
     * negotiated at login.
     */
    public static HandshakeResponse decodeChangeUser(ByteBuf buf, int capabilities) {
        String user = Wire.readNulString(buf);
        byte[] auth = readAuth(buf, capabilities);
        String database = buf.isReadable() ? Wire.readNulString(buf) : "";
        int charset = 0;
        String plugin = null;
        if (buf.readableBytes() >= 2) {
            charset = buf.readUnsignedShortLE();
            plugin = readPlugin(buf, capabilities);
        }
        buf.skipBytes(buf.readableBytes());
        return new HandshakeResponse(capabilities, 0, charset, user, auth, database.isEmpty() ? null : database, plugin);
    }

    /** The auth response as a length-prefixed (SECURE_CONNECTION) or NUL-terminated string. */
    private static byte[] readAuth(ByteBuf buf, int capabilities) {
        if ((capabilities & Capabilities.SECURE_CONNECTION) == 0) {
            return Wire.readNulString(buf).getBytes(StandardCharsets.UTF_8);
        }
        int length = buf.readUnsignedByte();
        if (length > buf.readableBytes()) {
            throw new ProtocolException("auth response longer than its packet");
        }
        byte[] auth = new byte[length];
        buf.readBytes(auth);
        return auth;
    }

    /** The auth plugin's name, NUL-terminated or (some clients) the packet's rest; null when absent. */
    private static String readPlugin(ByteBuf buf, int capabilities) {
        if ((capabilities & Capabilities.PLUGIN_AUTH) == 0 || !buf.isReadable()) {
            return null;
        }
        return buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0) >= 0
                ? Wire.readNulString(buf) : Wire.readRest(buf);
    }

    public boolean isSslRequest() {
        return user == null;
    }
}
