package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

/**
 * Where one command's response goes: numbers the packets and waits (on the session's worker
 * thread, never the event loop) while the client does not read, so a large result never piles up
 * in memory.
 */
public final class PacketSink {
    private static final int FLUSH_BYTES = 32 * 1024;

    private final Channel channel;
    private final Object writable = new Object();
    private int sequence;
    private ByteBuf pending;

    public PacketSink(Channel channel) {
        this.channel = channel;
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** The next response starts after this sequence id of the client's packet. */
    public void reset(int clientSequence) {
        sequence = (clientSequence + 1) & 0xFF;
    }

    public void send(ByteBuf payload) {
        if (!channel.isActive()) {
            payload.release();
            throw new ClientGoneException();
        }
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.max(512, payload.readableBytes() + 64));
        }
        // Frames are gathered into one buffer per response (or per 32 KiB of it): one write, one
        // hand-over to the event loop, instead of one per packet.
        sequence = PacketEncoder.frame(pending, sequence, payload);
        if (pending.readableBytes() >= FLUSH_BYTES) {
            flush();
            awaitWritable();
        }
    }

    public void flush() {
        if (pending != null) {
            ByteBuf out = pending;
            pending = null;
            channel.writeAndFlush(out, channel.voidPromise());
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
