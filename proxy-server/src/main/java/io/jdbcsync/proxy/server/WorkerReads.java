package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.protocol.Packet;
import io.jdbcsync.proxy.protocol.PacketFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * An active session's worker reading the client's socket itself, so that a command costs one
 * thread wake-up (the worker's) instead of two (the event loop's, then the worker's). The socket
 * stays registered with its event loop, with reading switched off there, and is also registered
 * with a selector of this reader's own; when the client has been quiet for {@link #QUIET}, the
 * reader stops and the session goes back to the event loop, so idle sessions hold no thread.
 */
final class WorkerReads implements AutoCloseable {
    /** How long a quiet client keeps its worker reading before the event loop takes it back. */
    static final long QUIET = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int READ_BYTES = 4096;

    /** What the reader does with the commands it reads. */
    interface Commands {
        /** Whether the event loop must take this packet (COM_CHANGE_USER's authentication runs there). */
        boolean forEventLoop(Packet packet);

        /** Runs a command; false when the session is over. */
        boolean run(Packet packet);

        /** The client connection is still open. */
        boolean open();
    }

    /**
     * Why the reader stopped while the connection goes on: the bytes it read and did not use
     * (given back to the event loop's decoder), and a packet for the event loop, or null.
     */
    record HandBack(ByteBuf rest, Packet packet) {
    }

    private final SocketChannel socket;
    private final Selector selector;
    private final SelectionKey key;

    WorkerReads(SocketChannel socket) throws IOException {
        this.socket = socket;
        this.selector = Selector.open();
        try {
            this.key = socket.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Reads and runs commands, starting with the bytes the event loop had read past the last
     * whole packet.
     *
     * @return what goes back to the event loop, or null when the connection is over (closed by
     *         the client, by a command, or by the server)
     */
    HandBack run(ByteBuf buffered, PacketFramer framer, ByteBufAllocator alloc, Commands commands) throws IOException {
        try {
            return read(buffered, framer, alloc, commands);
        } catch (IOException | RuntimeException e) {
            if (buffered.refCnt() > 0) {
                buffered.release();
            }
            throw e;
        }
    }

    private HandBack read(ByteBuf buffered, PacketFramer framer, ByteBufAllocator alloc, Commands commands) throws IOException {
        long lastCommand = System.nanoTime();
        while (true) {
            Packet packet = framer.next(buffered, alloc);
            if (packet != null) {
                if (commands.forEventLoop(packet)) {
                    return new HandBack(buffered, packet);
                }
                if (!commands.run(packet)) {
                    buffered.release();
                    return null;
                }
                lastCommand = System.nanoTime();
                continue;
            }
            if (buffered.refCnt() == 1) {
                buffered.discardSomeReadBytes();
            }
            long quietFor = System.nanoTime() - lastCommand;
            if (quietFor >= QUIET || !commands.open()) {
                if (!commands.open()) {
                    buffered.release();
                    return null;
                }
                return new HandBack(buffered, null);
            }
            // Wait for bytes (a wake-up() from a closing connection ends the wait early).
            selector.select(k -> { }, Math.max(1, TimeUnit.NANOSECONDS.toMillis(QUIET - quietFor)));
            buffered.ensureWritable(READ_BYTES);
            int n = buffered.writeBytes(socket, buffered.writableBytes());
            if (n < 0) {
                buffered.release();
                return null;
            }
        }
    }

    /** Ends a wait for bytes now (the connection is closing). */
    void wakeup() {
        selector.wakeup();
    }

    /** Takes the socket off this reader's selector (it stays with its event loop). */
    @Override
    public void close() throws IOException {
        key.cancel();
        selector.close();
    }
}
