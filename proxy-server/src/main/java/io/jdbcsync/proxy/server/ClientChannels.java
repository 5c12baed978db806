package io.jdbcsync.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.SocketUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The listening channel, which accepts clients as {@link Client} channels: Netty's NIO channels
 * that also hand out their socket, so a session's worker can write a response straight to it
 * (see {@link io.jdbcsync.proxy.session.PacketSink}).
 */
final class ClientChannels extends NioServerSocketChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ClientChannels.class);

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel ch = SocketUtils.accept(javaChannel());
        if (ch == null) {
            return 0;
        }
        try {
            buf.add(new Client(this, ch));
            return 1;
        } catch (Throwable t) {
            LOG.warn("failed to create a channel for an accepted connection", t);
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing an accepted connection: {}", e.toString());
            }
            return 0;
        }
    }

    /** A client connection whose socket can be written directly. */
    static final class Client extends NioSocketChannel {
        Client(Channel parent, SocketChannel socket) {
            super(parent, socket);
        }

        SocketChannel socket() {
            return javaChannel();
        }
    }
}
