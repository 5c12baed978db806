package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.Packet;
import io.jdbcsync.proxy.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where one command's response goes: numbers the packets, gathers them into one buffer and writes
 * it once per response (or per 32 KiB of it), and waits (on the session's worker thread, never the
 * event loop) while the client does not read, so a large result never piles up in memory.
 *
 * <p>A plain-TCP response is written straight to the socket from the thread that built it when
 * nothing of this connection is queued in Netty: handing every response to the event loop would
 * wake a second thread per command. What the socket does not take goes through Netty, and so does
 * everything after it until Netty has written it, so the order of bytes is kept.
 */
public final class PacketSink {
    private static final int FLUSH_BYTES = 32 * 1024;

    private final Channel channel;
    private final Object writable = new Object();
    private final AtomicInteger queuedInNetty = new AtomicInteger();
    private final ChannelFutureListener written;
    private volatile SocketChannel socket;
    private int sequence;
    private ByteBuf pending;
    private int packetStart = -1;

    /**
     * @param socket the connection's socket for direct writes, or null to write through Netty only
     */
    public PacketSink(Channel channel, SocketChannel socket) {
        this.channel = channel;
        this.socket = socket;
        this.written = future -> {
            queuedInNetty.decrementAndGet();
            if (!future.isSuccess()) {
                future.channel().close();
            }
        };
    }

    /** From now on every byte goes through the pipeline (TLS encrypts there). */
    public void writeThroughPipeline() {
        socket = null;
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** The next response starts after this sequence id of the client's packet. */
    public void reset(int clientSequence) {
        sequence = (clientSequence + 1) & 0xFF;
    }

    public void send(ByteBuf payload) {
        ensureOpen(payload);
        buffer(payload.readableBytes());
        // Frames are gathered into one buffer per response (or per 32 KiB of it): one write
        // instead of one per packet.
        sequence = PacketEncoder.frame(pending, sequence, payload);
        flushIfFull();
    }

    /**
     * Starts a packet written in place into the response buffer (no buffer of its own); finish it
     * with {@link #endPacket()}.
     */
    public ByteBuf beginPacket(int sizeHint) {
        ensureOpen(null);
        buffer(sizeHint + 4);
        packetStart = pending.writerIndex();
        pending.writeMediumLE(0);
        pending.writeByte(0);
        return pending;
    }

    public void endPacket() {
        int length = pending.writerIndex() - packetStart - 4;
        if (length < Packet.MAX_FRAME) {
            pending.setMediumLE(packetStart, length);
            pending.setByte(packetStart + 3, sequence);
            sequence = (sequence + 1) & 0xFF;
        } else {
            // Rare (a row of 16 MiB or more): frame it again, split.
            ByteBuf payload = pending.copy(packetStart + 4, length);
            pending.writerIndex(packetStart);
            sequence = PacketEncoder.frame(pending, sequence, payload);
        }
        packetStart = -1;
        flushIfFull();
    }

    private void ensureOpen(ByteBuf payload) {
        if (!channel.isActive()) {
            if (payload != null) {
                payload.release();
            }
            throw new ClientGoneException();
        }
    }

    private void buffer(int bytes) {
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.max(512, bytes + 64));
        }
    }

    private void flushIfFull() {
        if (pending.readableBytes() >= FLUSH_BYTES) {
            flush();
            awaitWritable();
        }
    }

    public void flush() {
        if (pending == null) {
            return;
        }
        ByteBuf out = pending;
        pending = null;
        SocketChannel direct = socket;
        if (direct != null && queuedInNetty.get() == 0) {
            try {
                writeDirect(direct, out);
            } catch (IOException e) {
                out.release();
                channel.close();
                throw new ClientGoneException();
            }
            if (!out.isReadable()) {
                out.release();
                return;
            }
        }
        queuedInNetty.incrementAndGet();
        channel.writeAndFlush(out).addListener(written);
    }

    /** Writes what the socket takes now without blocking; the rest stays readable in {@code out}. */
    private static void writeDirect(SocketChannel socket, ByteBuf out) throws IOException {
        if (out.nioBufferCount() == 1) {
            ByteBuffer nio = out.nioBuffer();
            int n = socket.write(nio);
            out.skipBytes(Math.max(n, 0));
        } else {
            ByteBuffer[] nio = out.nioBuffers();
            long n = socket.write(nio);
            out.skipBytes((int) Math.max(n, 0));
        }
    }

    /** Called by the event loop when the channel's writability changes. */
    public void writabilityChanged() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    private void awaitWritable() {
        synchronized (writable) {
            while (!channel.isWritable()) {
                if (!channel.isActive()) {
                    throw new ClientGoneException();
                }
                try {
                    writable.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClientGoneException();
                }
            }
        }
    }

    /** The client went away while its response was being written. */
    public static final class ClientGoneException extends RuntimeException {
        ClientGoneException() {
            super("client disconnected", null, false, false);
        }
    }
}
