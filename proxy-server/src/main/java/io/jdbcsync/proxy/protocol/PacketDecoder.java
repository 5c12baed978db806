package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/** Bytes read by the event loop into {@link Packet}s (see {@link PacketFramer}). */
public final class PacketDecoder extends ByteToMessageDecoder {
    private final PacketFramer framer;

    public PacketDecoder(int maxPacket) {
        this.framer = new PacketFramer(maxPacket);
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

    /** The framer, which the session's worker uses while it reads the socket itself. */
    public PacketFramer framer() {
        return framer;
    }

    /**
     * The bytes read past the last whole packet, taken out of this decoder: the session's worker
     * goes on from them when it starts reading the socket itself. On the event loop.
     */
    public ByteBuf takeRemainingBytes(ByteBufAllocator alloc) {
        ByteBuf cumulation = internalBuffer();
        ByteBuf rest = alloc.ioBuffer(Math.max(4096, cumulation.readableBytes()));
        rest.writeBytes(cumulation);
        return rest;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // One packet per call: its handler may change the pipeline (TLS) before the next is read.
        Packet packet = framer.next(in, ctx.alloc());
        if (packet != null) {
            out.add(packet);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        framer.release();
    }
}
