package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Frames (3-byte little-endian length, 1-byte sequence id, payload) into {@link Packet}s; frames of
 * exactly 16 MiB - 1 bytes are joined with the ones that follow. A packet longer than the limit
 * fails as soon as its length is known, before its bytes are buffered.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    private final int maxPacket;
    private CompositeByteBuf pending;
    private long pendingLength;
    private int pendingFirstSequence;

    public PacketDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    /**
     * The connection switches to TLS after the packet just decoded: bytes already read past it
     * (a client may send its TLS ClientHello in the same segment) are TLS records, so they are
     * handed back to the start of the pipeline, through the TLS handler that now sits there.
     * Called by the handler of that packet, while it is being delivered.
     */
    public void replayRemainingBytes(ChannelHandlerContext ctx) {
        // No further socket reads in this read loop: they would reach the TLS handler before
        // the bytes held here.
        ctx.channel().config().setAutoRead(false);
        ByteBuf cumulation = internalBuffer();
        ByteBuf rest = cumulation.isReadable() ? cumulation.readRetainedSlice(cumulation.readableBytes()) : null;
        // After this read's processing, before any other read: order is kept.
        ctx.channel().eventLoop().execute(() -> {
            if (rest != null) {
                ctx.pipeline().fireChannelRead(rest);
                ctx.pipeline().fireChannelReadComplete();
            }
            ctx.channel().config().setAutoRead(true);
        });
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // One packet per call: its handler may change the pipeline (TLS) before the next is read.
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            int sequence = in.getUnsignedByte(start + 3);
            if (pendingLength + length > maxPacket) {
                throw new TooLongFrameException("packet longer than " + maxPacket + " bytes");
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            ByteBuf frame = in.readRetainedSlice(length);
            if (length == Packet.MAX_FRAME) {
                if (pending == null) {
                    pending = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                    pendingFirstSequence = sequence;
                }
                pending.addComponent(true, frame);
                pendingLength += length;
                continue;
            }
            if (pending != null) {
                pending.addComponent(true, frame);
                out.add(new Packet(pendingFirstSequence, sequence, pending));
                pending = null;
                pendingLength = 0;
            } else {
                out.add(new Packet(sequence, frame));
            }
            return;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
