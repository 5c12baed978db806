package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts bytes into {@link Packet}s (3-byte little-endian length, 1-byte sequence id, payload);
 * frames of exactly 16 MiB - 1 bytes are joined with the ones that follow. A packet longer than
 * the limit fails as soon as its length is known, before its bytes are buffered. One framer per
 * connection, used by one thread at a time: the event loop's decoder, or the session's worker
 * while it reads the socket itself.
 */
public final class PacketFramer {
    private final int maxPacket;
    private CompositeByteBuf pending;
    private long pendingLength;
    private int pendingFirstSequence;

    public PacketFramer(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    /** The next whole packet in {@code in} (its bytes consumed), or null when more bytes are needed. */
    public Packet next(ByteBuf in, ByteBufAllocator alloc) {
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            int sequence = in.getUnsignedByte(start + 3);
            if (pendingLength + length > maxPacket) {
                throw new TooLongFrameException("packet longer than " + maxPacket + " bytes");
            }
            if (in.readableBytes() < 4 + length) {
                return null;
            }
            in.skipBytes(4);
            ByteBuf frame = in.readRetainedSlice(length);
            if (length == Packet.MAX_FRAME) {
                if (pending == null) {
                    pending = alloc.compositeBuffer(Integer.MAX_VALUE);
                    pendingFirstSequence = sequence;
                }
                pending.addComponent(true, frame);
                pendingLength += length;
                continue;
            }
            if (pending == null) {
                return new Packet(sequence, frame);
            }
            pending.addComponent(true, frame);
            Packet joined = new Packet(pendingFirstSequence, sequence, pending);
            pending = null;
            pendingLength = 0;
            return joined;
        }
        return null;
    }

    /** Frees the frames of a packet not yet complete. */
    public void release() {
        if (pending != null) {
            pending.release();
            pending = null;
            pendingLength = 0;
        }
    }
}
