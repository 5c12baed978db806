package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketCodecTest {

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static ByteBuf encode(int sequence, byte[] payload) {
        EmbeddedChannel out = new EmbeddedChannel(new PacketEncoder());
        out.writeOutbound(new Packet(sequence, Unpooled.wrappedBuffer(payload)));
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = out.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    @Test
    void smallPacketIsOneFrame() {
        ByteBuf wire = encode(3, new byte[] {1, 2, 3});
        assertEquals(7, wire.readableBytes());
        assertEquals(3, wire.getUnsignedMediumLE(0));
        assertEquals(3, wire.getUnsignedByte(3));
    }

    @Test
    void sixteenMebibytePayloadsSplitAndJoin() {
        for (int length : new int[] {Packet.MAX_FRAME - 1, Packet.MAX_FRAME, Packet.MAX_FRAME + 1, 2 * Packet.MAX_FRAME}) {
            byte[] payload = random(length);
            ByteBuf wire = encode(0, payload);
            int frames = Packet.frameCount(length);
            assertEquals(length + 4L * frames, wire.readableBytes(), "frames for " + length);
            // The last frame's sequence id is the first's plus the number of extra frames.
            EmbeddedChannel in = new EmbeddedChannel(new PacketDecoder(64 * 1024 * 1024));
            // Deliver in uneven chunks, as TCP would.
            while (wire.isReadable()) {
                in.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 1_000_003)));
            }
            Packet p = in.readInbound();
            assertEquals(0, p.firstSequence());
            assertEquals(frames - 1, p.sequence());
            byte[] got = new byte[p.payload().readableBytes()];
            p.payload().readBytes(got);
            assertArrayEquals(payload, got);
            p.release();
            assertNull(in.readInbound());
        }
    }

    @Test
    void lengthOverTheLimitFailsBeforeBuffering() {
        EmbeddedChannel in = new EmbeddedChannel(new PacketDecoder(1000));
        ByteBuf header = Unpooled.buffer();
        header.writeMediumLE(1001);
        header.writeByte(0);
        DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(header));
        assertTrue(e instanceof TooLongFrameException || e.getCause() instanceof TooLongFrameException, e.toString());
    }

    @Test
    void truncatedFrameWaitsForTheRest() {
        EmbeddedChannel in = new EmbeddedChannel(new PacketDecoder(1000));
        ByteBuf partial = Unpooled.buffer();
        partial.writeMediumLE(10);
        partial.writeByte(0);
        partial.writeBytes(new byte[5]);
        in.writeInbound(partial);
        assertNull(in.readInbound());
        in.writeInbound(Unpooled.wrappedBuffer(new byte[5]));
        Packet p = in.readInbound();
        assertEquals(10, p.payload().readableBytes());
        p.release();
    }

    @Test
    void lengthEncodedIntegersRoundTrip() {
        for (long v : new long[] {0, 250, 251, 65535, 65536, 0xFFFFFF, 0x1000000, Long.MAX_VALUE, -1L}) {
            ByteBuf b = Unpooled.buffer();
            Wire.writeLenenc(b, v);
            if (v == -1L) {
                // 2^64 - 1 is written with the 8-byte form; reading gives the same bits.
                assertEquals(0xFE, b.getUnsignedByte(0));
            }
            assertEquals(v, Wire.readLenenc(b));
        }
    }
}
