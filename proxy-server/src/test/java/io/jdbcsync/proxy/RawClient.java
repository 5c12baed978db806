package io.jdbcsync.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal protocol client written from the protocol documentation, for what no real client lets
 * a test do: single commands, exact status flags, garbage, hanging up half-way.
 */
public final class RawClient implements AutoCloseable {
    public static final int CLIENT_PROTOCOL_41 = 1 << 9;
    public static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    public static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    public static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    public static final int CLIENT_DEPRECATE_EOF = 1 << 24;
    public static final int CLIENT_MULTI_RESULTS = 1 << 17;

    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public int lastSequence;
    public byte[] scramble;
    public long connectionId;
    public int serverCapabilities;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public byte[] read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("closed by the server");
        }
        int length = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        lastSequence = in.readUnsignedByte();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    public void write(int sequence, byte[] payload) throws IOException {
        byte[] frame = new byte[payload.length + 4];
        frame[0] = (byte) payload.length;
        frame[1] = (byte) (payload.length >> 8);
        frame[2] = (byte) (payload.length >> 16);
        frame[3] = (byte) sequence;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        out.write(frame);
        out.flush();
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the server's handshake and keeps its scramble. */
    public byte[] readHandshake() throws IOException {
        byte[] h = read();
        int i = 1;
        while (h[i] != 0) {
            i++;
        }
        i++;
        connectionId = (h[i] & 0xFFL) | (h[i + 1] & 0xFFL) << 8 | (h[i + 2] & 0xFFL) << 16 | (h[i + 3] & 0xFFL) << 24;
        i += 4;
        byte[] part1 = Arrays.copyOfRange(h, i, i + 8);
        i += 9;
        int capLow = (h[i] & 0xFF) | (h[i + 1] & 0xFF) << 8;
        i += 2 + 1 + 2;
        int capHigh = (h[i] & 0xFF) | (h[i + 1] & 0xFF) << 8;
        serverCapabilities = capLow | capHigh << 16;
        i += 2;
        int authLength = h[i] & 0xFF;
        i += 1 + 10;
        byte[] part2 = Arrays.copyOfRange(h, i, i + Math.max(13, authLength - 8) - 1);
        scramble = new byte[20];
        System.arraycopy(part1, 0, scramble, 0, 8);
        System.arraycopy(part2, 0, scramble, 8, 12);
        return h;
    }

    public static byte[] nativePassword(String password, byte[] scramble) throws Exception {
        if (password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] s1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] s2 = sha1.digest(s1);
        sha1.update(scramble);
        byte[] mix = sha1.digest(s2);
        for (int k = 0; k < s1.length; k++) {
            s1[k] ^= mix[k];
        }
        return s1;
    }

    /** Logs in with mysql_native_password; returns the server's answer (OK or ERR). */
    public byte[] login(String user, String password, String database, int extraCapabilities) throws Exception {
        readHandshake();
        int caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH | CLIENT_MULTI_RESULTS
                | (database != null ? CLIENT_CONNECT_WITH_DB : 0) | extraCapabilities;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) caps, (byte) (caps >> 8), (byte) (caps >> 16), (byte) (caps >> 24)});
        b.write(new byte[] {0, 0, 0, 1});
        b.write(45);
        b.write(new byte[23]);
        b.write(user.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        byte[] auth = nativePassword(password, scramble);
        b.write(auth.length);
        b.write(auth);
        if (database != null) {
            b.write(database.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write("mysql_native_password".getBytes(StandardCharsets.UTF_8));
        b.write(0);
        write(1, b.toByteArray());
        return read();
    }

    /** Sends a command (sequence 0) and returns every packet of the answer up to its end. */
    public byte[] command(int command, byte[] argument) throws IOException {
        byte[] payload = new byte[argument.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(argument, 0, payload, 1, argument.length);
        write(0, payload);
        return read();
    }

    public byte[] query(String sql) throws IOException {
        return command(0x03, sql.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads packets until an EOF/OK-terminator (0xFE, shorter than 9 bytes) or an ERR. */
    public List<byte[]> readUntilEnd() throws IOException {
        List<byte[]> packets = new ArrayList<>();
        while (true) {
            byte[] p = read();
            packets.add(p);
            if ((p.length > 0 && (p[0] & 0xFF) == 0xFE && p.length < 9) || (p.length > 0 && (p[0] & 0xFF) == 0xFF)) {
                return packets;
            }
        }
    }

    /** Status flags of an OK packet with small affected-rows and insert-id values. */
    public static int okStatus(byte[] ok) {
        int i = 1;
        i += lenencSize(ok, i);
        i += lenencSize(ok, i);
        return (ok[i] & 0xFF) | (ok[i + 1] & 0xFF) << 8;
    }

    /** Status flags of an EOF packet. */
    public static int eofStatus(byte[] eof) {
        return (eof[3] & 0xFF) | (eof[4] & 0xFF) << 8;
    }

    public static int errorCode(byte[] err) {
        return (err[1] & 0xFF) | (err[2] & 0xFF) << 8;
    }

    private static int lenencSize(byte[] b, int i) {
        int first = b[i] & 0xFF;
        return first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : 9;
    }

    /** Whether the server closed the connection (reads end-of-stream within the socket timeout). */
    public boolean closedByServer() {
        try {
            while (true) {
                read();
            }
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
