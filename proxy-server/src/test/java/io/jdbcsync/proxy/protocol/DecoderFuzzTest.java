package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated valid packets (flipped bytes, truncation, inserted bytes, rewritten length headers)
 * into the frame decoder and the handshake-response parser: the only outcomes are packets, a
 * wait for more bytes, or the named protocol exceptions; never anything else, never a leak of
 * the decoder's state into the next connection.
 */
class DecoderFuzzTest {
    private static final int MAX_PACKET = 1 << 16;

    private static byte[] validHandshakeResponse() {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(Capabilities.SERVER | Capabilities.CONNECT_WITH_DB);
        b.writeIntLE(1 << 24);
        b.writeByte(45);
        b.writeZero(23);
        Wire.writeNulString(b, "app");
        Wire.writeLenencBytes(b, new byte[20]);
        Wire.writeNulString(b, "db");
        Wire.writeNulString(b, "mysql_native_password");
        Wire.writeLenenc(b, 4);
        b.writeBytes("\u0001a\u0001b".getBytes(StandardCharsets.UTF_8));
        return frame(1, b);
    }

    private static byte[] validQuery() {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(Command.QUERY);
        b.writeBytes("SELECT 1".getBytes(StandardCharsets.UTF_8));
        return frame(0, b);
    }

    private static byte[] frame(int seq, ByteBuf payload) {
        ByteBuf f = Unpooled.buffer();
        f.writeMediumLE(payload.readableBytes());
        f.writeByte(seq);
        f.writeBytes(payload);
        byte[] out = new byte[f.readableBytes()];
        f.readBytes(out);
        return out;
    }

    record Mutation(int kind, int at, int value) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 255)).as(Mutation::new).list().ofMaxSize(6);
    }

    private static byte[] mutate(byte[] valid, List<Mutation> mutations) {
        byte[] b = valid.clone();
        for (Mutation m : mutations) {
            if (b.length == 0) {
                break;
            }
            int at = m.at() % b.length;
            switch (m.kind()) {
                case 0 -> b[at] = (byte) m.value();
                case 1 -> b = java.util.Arrays.copyOf(b, at);
                case 2 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) m.value();
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                default -> b[Math.min(2, b.length - 1)] = (byte) m.value(); // the length header's top byte
            }
        }
        return b;
    }

    @Property
    void mutatedPacketsDecodeOrFailWithNamedExceptions(@ForAll("mutations") List<Mutation> mutations,
                                                       @ForAll boolean handshake) {
        byte[] input = mutate(handshake ? validHandshakeResponse() : validQuery(), mutations);
        EmbeddedChannel channel = new EmbeddedChannel(new PacketDecoder(MAX_PACKET));
        if (!decodes(() -> channel.writeInbound(Unpooled.wrappedBuffer(input)))) {
            decodes(channel::finishAndReleaseAll);
            return;
        }
        Packet p;
        while ((p = channel.readInbound()) != null) {
            try {
                assertTrue(p.payload().readableBytes() <= MAX_PACKET);
                if (handshake) {
                    HandshakeResponse.decode(p.payload());
                } else if (p.payload().isReadable()) {
                    p.payload().readUnsignedByte();
                    Wire.readRest(p.payload());
                }
            } catch (ProtocolException | IndexOutOfBoundsException expected) {
                // The connection answers these with an error packet and closes.
            } finally {
                p.release();
            }
        }
        decodes(channel::finishAndReleaseAll);
    }

    /** Runs a decoder step; false when it refused an oversized length header, the one failure it may raise. */
    private static boolean decodes(Runnable step) {
        try {
            step.run();
            return true;
        } catch (DecoderException e) {
            // TooLongFrameException is a DecoderException.
            assertTrue(e.getMessage().contains("longer than"), e.toString());
            return false;
        }
    }
}
