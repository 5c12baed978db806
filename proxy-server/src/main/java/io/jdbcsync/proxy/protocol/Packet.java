package io.jdbcsync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.netty.util.AbstractReferenceCounted;

/**
 * One logical protocol packet: its payload (already reassembled from 16 MiB frames) and the
 * sequence id of its first frame on output; on input, the ids of its first and last frames.
 */
public final class Packet extends AbstractReferenceCounted {
    /** The largest payload of one frame; a payload of this length is continued in the next frame. */
    public static final int MAX_FRAME = 0xFFFFFF;

    private final int firstSequence;
    private final int sequence;
    private final ByteBuf payload;

    public Packet(int sequence, ByteBuf payload) {
        this(sequence, sequence, payload);
    }

    public Packet(int firstSequence, int sequence, ByteBuf payload) {
        this.firstSequence = firstSequence & 0xFF;
        this.sequence = sequence & 0xFF;
        this.payload = payload;
    }

    /** The sequence id of the first frame (a command starts at 0). */
    public int firstSequence() {
        return firstSequence;
    }

    public int sequence() {
        return sequence;
    }

    public ByteBuf payload() {
        return payload;
    }

    /** How many frames a payload of this length takes (an exact multiple of MAX_FRAME ends with an empty frame). */
    public static int frameCount(int length) {
        return length / MAX_FRAME + 1;
    }

    @Override
    protected void deallocate() {
        payload.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        payload.touch(hint);
        return this;
    }
}
