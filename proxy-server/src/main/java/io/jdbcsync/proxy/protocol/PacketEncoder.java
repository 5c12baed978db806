package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes a {@link Packet} as one or more frames: payloads of 16 MiB - 1 bytes or more are split,
 * each frame taking the next sequence id ({@link Packet#frameCount} tells the writer how many).
 */
public final class PacketEncoder extends MessageToMessageEncoder<Packet> {

    public PacketEncoder() {
        super(Packet.class);
    }

    /**
     * Appends the frames of one payload to {@code out} and releases the payload.
     *
     * @return the sequence id the next packet takes
     */
    public static int frame(ByteBuf out, int sequence, ByteBuf payload) {
        try {
            int remaining = payload.readableBytes();
            while (true) {
                int length = Math.min(remaining, Packet.MAX_FRAME);
                out.writeMediumLE(length);
                out.writeByte(sequence);
                out.writeBytes(payload, length);
                remaining -= length;
                sequence = (sequence + 1) & 0xFF;
                if (length < Packet.MAX_FRAME) {
                    return sequence;
                }
            }
        } finally {
            payload.release();
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet msg, List<Object> out) {
        ByteBuf payload = msg.payload();
        int sequence = msg.sequence();
        int remaining = payload.readableBytes();
        int index = payload.readerIndex();
        while (true) {
            int length = Math.min(remaining, Packet.MAX_FRAME);
            ByteBuf header = ctx.alloc().buffer(4);
            header.writeMediumLE(length);
            header.writeByte(sequence);
            out.add(header);
            if (length > 0) {
                out.add(payload.retainedSlice(index, length));
            }
            index += length;
            remaining -= length;
            sequence = (sequence + 1) & 0xFF;
            if (length < Packet.MAX_FRAME) {
                break;
            }
        }
    }
}
