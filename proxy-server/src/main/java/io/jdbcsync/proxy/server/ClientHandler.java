package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.auth.AuthPlugin;
import io.jdbcsync.proxy.auth.Scramble;
import io.jdbcsync.proxy.protocol.Capabilities;
import io.jdbcsync.proxy.protocol.ColumnType;
import io.jdbcsync.proxy.protocol.Command;
import io.jdbcsync.proxy.protocol.ErrPacket;
import io.jdbcsync.proxy.protocol.HandshakeResponse;
import io.jdbcsync.proxy.protocol.HandshakeV10;
import io.jdbcsync.proxy.protocol.OkPacket;
import io.jdbcsync.proxy.protocol.Packet;
import io.jdbcsync.proxy.protocol.PacketDecoder;
import io.jdbcsync.proxy.protocol.ProtocolException;
import io.jdbcsync.proxy.protocol.ServerStatus;
import io.jdbcsync.proxy.protocol.Wire;
import io.jdbcsync.proxy.session.PacketSink;
import io.jdbcsync.proxy.session.ProcessList;
import io.jdbcsync.proxy.session.SerialExecutor;
import io.jdbcsync.proxy.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection: the handshake and authentication on the event loop, then each command on
 * the session's worker. While the session is active (plain TCP) the worker reads the socket itself
 * ({@link WorkerReads}) and the event loop takes it back once the client is quiet.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);

    private enum State { OPENING, HANDSHAKE, AUTH_SWITCH, COMMAND, CLOSED }

    private final ProxyServer server;
    private Channel channel;
    private PacketSink sink;
    private Session session;
    private SerialExecutor worker;
    private volatile State state = State.OPENING;
    /** Commands received and not yet answered; reading stops while one more waits behind the running one. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private byte[] scramble;
    private HandshakeResponse login;
    private AuthPlugin switched;
    private boolean tlsActive;
    private ScheduledFuture<?> handshakeTimer;
    /** The id the handshake showed; KILL takes it. */
    private long sessionId;
    /** The capabilities negotiated at login. */
    private int capabilities;
    /** The account logged in, for SHOW PROCESSLIST. */
    private volatile String user;
    /** The authentication under way is a COM_CHANGE_USER's, not the login's. */
    private boolean changingUser;
    /** The session's worker reads the socket (the event loop does not). */
    private volatile boolean workerReads;
    /** The worker takes over reading once the event loop has delivered what it read (event loop only). */
    private boolean handOverAfterRead;
    /** The worker's reader while it reads, so a closing connection can wake it. */
    private volatile WorkerReads reader;
    /** KILL CONNECTION ended this session: it runs no further command, even one already read. */
    private volatile boolean killed;
    /** When the last command arrived, for the idle timeout. */
    private volatile long lastCommandNanos = System.nanoTime();

    ClientHandler(ProxyServer server) {
        this.server = server;
    }

    boolean busy() {
        return inFlight.get() > 0;
    }

    boolean inTransaction() {
        return state == State.COMMAND && session.inTransaction();
    }

    Channel channel() {
        return channel;
    }

    Session session() {
        return session;
    }

    long sessionId() {
        return sessionId;
    }

    /** KILL CONNECTION of this session. */
    void kill() {
        killed = true;
        channel.close();
    }

    /** This session as SHOW PROCESSLIST lists it, or null before it logged in. */
    ProcessList.Entry processEntry() {
        String account = user;
        if (account == null || state != State.COMMAND) {
            return null;
        }
        String host = channel.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(channel.remoteAddress());
        return session.processEntry(sessionId, account, host);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        sink = new PacketSink(channel, channel instanceof ClientChannels.Client c ? c.socket() : null);
        if (!server.admit(this)) {
            sink.reset(-1);
            refuse(ErrPacket.ER_CON_COUNT_ERROR, "08004", "Too many connections");
            return;
        }
        channel.config().setAutoRead(false);
        sessionId = server.register(this);
        session = new Session(server.backend(), sink, server.config().maxPacket(), server.config().multiplex(),
                new Session.Events() {
                    @Override
                    public void command(int command) {
                        server.metrics().command(command);
                    }

                    @Override
                    public void error() {
                        server.metrics().error();
                    }

                    @Override
                    public long kill(long id, boolean connection) {
                        return server.kill(id, connection);
                    }

                    @Override
                    public List<ProcessList.Entry> processList() {
                        return server.processList();
                    }
                });
        worker = new SerialExecutor(server.workers());
        handshakeTimer = ctx.executor().schedule(() -> {
            if (state != State.COMMAND && state != State.CLOSED) {
                LOG.info("{}: no login within {}, disconnecting", channel.remoteAddress(), server.config().handshakeTimeout());
                channel.close();
            }
        }, server.config().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        worker.execute(() -> {
            try {
                long connectionId = session.open(sessionId);
                channel.eventLoop().execute(() -> sendHandshake(connectionId));
            } catch (SQLException e) {
                LOG.warn("no backend connection for a client: {}", e.getMessage());
                channel.eventLoop().execute(() -> {
                    sink.reset(-1);
                    refuse(ErrPacket.ER_CON_COUNT_ERROR, "08004", "Too many connections (no backend connection: "
                            + e.getMessage() + ")");
                });
            }
        });
    }

    private void sendHandshake(long connectionId) {
        if (!channel.isActive()) {
            return;
        }
        scramble = Scramble.create();
        HandshakeV10 hello = new HandshakeV10(server.backend().serverVersion(), connectionId, scramble,
                server.capabilities(), ColumnType.UTF8MB4_GENERAL_CI, ServerStatus.AUTOCOMMIT,
                AuthPlugin.MYSQL_NATIVE_PASSWORD.pluginName());
        sink.reset(-1);
        sink.send(hello.encode(channel.alloc()));
        sink.flush();
        state = State.HANDSHAKE;
        channel.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        try {
            switch (state) {
                case HANDSHAKE:
                    onLogin(packet);
                    break;
                case AUTH_SWITCH:
                    onSwitchedAuth(packet);
                    break;
                case COMMAND:
                    if (isChangeUser(packet)) {
                        onChangeUser(packet);
                        break;
                    }
                    onCommand(packet);
                    packet = null; // released by the worker
                    break;
                default:
                    break;
            }
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            sink.reset(packet == null ? 0 : packet.sequence());
            refuse(ErrPacket.ER_HANDSHAKE_ERROR, "08S01", "Bad handshake: " + e.getMessage());
        } finally {
            if (packet != null) {
                packet.release();
            }
        }
    }

    private void onLogin(Packet packet) {
        login = HandshakeResponse.decode(packet.payload());
        sink.reset(packet.sequence());
        if (login.isSslRequest()) {
            if (server.tls() == null || tlsActive) {
                refuse(ErrPacket.ER_HANDSHAKE_ERROR, "08S01", "TLS is not enabled on this proxy");
                return;
            }
            // The rest of the login (the full handshake response) comes over TLS.
            sink.writeThroughPipeline();
            channel.pipeline().addFirst("tls", server.tls().newHandler(channel.alloc()));
            channel.pipeline().get(PacketDecoder.class).replayRemainingBytes(channel.pipeline().context(PacketDecoder.class));
            tlsActive = true;
            return;
        }
        if (server.config().tls() != null && server.config().tls().required() && !tlsActive) {
            refuse(ErrPacket.ER_ACCESS_DENIED, "28000", "Access denied for user '" + login.user()
                    + "': this proxy requires TLS");
            return;
        }
        AuthPlugin plugin = login.authPlugin() == null && (login.capabilities() & Capabilities.PLUGIN_AUTH) == 0
                ? AuthPlugin.MYSQL_NATIVE_PASSWORD : AuthPlugin.byName(login.authPlugin());
        if (plugin != AuthPlugin.MYSQL_NATIVE_PASSWORD) {
            // The client answered for another plugin than the one offered: its response was not
            // computed from our scramble. Switch to its plugin if we speak it, else to ours.
            switchTo(plugin == null ? AuthPlugin.MYSQL_NATIVE_PASSWORD : plugin);
            return;
        }
        authenticate(plugin, login.authResponse());
    }

    /**
     * COM_CHANGE_USER: the new account's password is checked like a login's (an AuthSwitch with a
     * fresh scramble when the response was not made for ours), then the session starts over as
     * new: no transaction, prepared statements, variables or temporary tables. A wrong password
     * closes the connection.
     */
    private void onChangeUser(Packet packet) {
        sink.reset(packet.sequence());
        server.metrics().command(Command.CHANGE_USER);
        if (busy()) {
            refuse(ErrPacket.ER_NET_READ_ERROR, "08S01", "COM_CHANGE_USER while a command runs");
            return;
        }
        ByteBuf payload = packet.payload();
        payload.skipBytes(1);
        login = HandshakeResponse.decodeChangeUser(payload, capabilities);
        changingUser = true;
        AuthPlugin plugin = login.authPlugin() == null ? AuthPlugin.MYSQL_NATIVE_PASSWORD : AuthPlugin.byName(login.authPlugin());
        String password = server.users().password(login.user());
        if (plugin != null && password != null && plugin.verify(password, scramble, login.authResponse())) {
            authenticate(plugin, login.authResponse());
        } else {
            switchTo(plugin == null ? AuthPlugin.MYSQL_NATIVE_PASSWORD : plugin);
        }
    }

    private void switchTo(AuthPlugin plugin) {
        switched = plugin;
        scramble = Scramble.create();
        ByteBuf sw = channel.alloc().buffer(64);
        sw.writeByte(0xFE);
        Wire.writeNulString(sw, plugin.pluginName());
        sw.writeBytes(scramble);
        sw.writeByte(0);
        sink.send(sw);
        sink.flush();
        state = State.AUTH_SWITCH;
    }

    private void onSwitchedAuth(Packet packet) {
        sink.reset(packet.sequence());
        ByteBuf p = packet.payload();
        byte[] response = new byte[p.readableBytes()];
        p.readBytes(response);
        authenticate(switched, response);
    }

    private void authenticate(AuthPlugin plugin, byte[] response) {
        String password = server.users().password(login.user());
        if (password == null || !plugin.verify(password, scramble, response)) {
            String host = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
            LOG.warn("access denied for user '{}' from {} ({})", login.user(), host, plugin.pluginName());
            server.metrics().authFailure();
            refuse(ErrPacket.ER_ACCESS_DENIED, "28000", "Access denied for user '" + login.user() + "'@'" + host
                    + "' (using password: " + (response.length > 0 ? "YES" : "NO") + ")");
            return;
        }
        if (plugin == AuthPlugin.CACHING_SHA2_PASSWORD) {
            // Fast authentication succeeded.
            ByteBuf fast = channel.alloc().buffer(2);
            fast.writeByte(0x01);
            fast.writeByte(0x03);
            sink.send(fast);
        }
        if (!changingUser) {
            capabilities = login.capabilities() & server.capabilities();
        }
        boolean change = changingUser;
        changingUser = false;
        user = login.user();
        channel.config().setAutoRead(false);
        inFlight.incrementAndGet();
        worker.execute(() -> {
            try {
                if (change) {
                    session.changeUser(login.database());
                } else {
                    session.start(capabilities, login.database());
                }
                sink.send(OkPacket.of(0, 0, session.status(), 0).encode(channel.alloc()));
                sink.flush();
                channel.eventLoop().execute(() -> {
                    state = State.COMMAND;
                    handshakeTimer.cancel(false);
                    commandDone();
                });
            } catch (SQLException e) {
                channel.eventLoop().execute(() -> refuse(e.getErrorCode() > 0 ? e.getErrorCode() : ErrPacket.ER_UNKNOWN_ERROR,
                        e.getSQLState(), e.getMessage()));
            } catch (PacketSink.ClientGoneException e) {
                channel.close();
            }
        });
    }

    /**
     * Runs the command on the session's worker. On plain TCP the worker then reads the socket
     * itself until the client is quiet. With TLS the event loop reads: reading goes on meanwhile
     * (switching it off and on per command would cost two more system calls and an event-loop
     * wake-up each time); only a client that sends another command before the first is answered is
     * not read further.
     */
    private void onCommand(Packet packet) {
        if (!workerReads && !tlsActive && channel instanceof ClientChannels.Client && server.startWorkerReads()) {
            channel.config().setAutoRead(false);
            workerReads = true;
            handOverAfterRead = true;
        }
        if (workerReads) {
            // This read's other packets, if any, queue behind it; then the worker reads.
            inFlight.incrementAndGet();
            worker.execute(() -> runCommand(packet));
            return;
        }
        if (inFlight.incrementAndGet() > 1) {
            channel.config().setAutoRead(false);
            if (inFlight.get() == 0) {
                // The worker answered both meanwhile and saw reading still on.
                channel.config().setAutoRead(true);
            }
        }
        worker.execute(() -> runCommand(packet));
    }

    /** On the worker: runs one command; false when the session is over. */
    private boolean runCommand(Packet packet) {
        if (killed) {
            packet.release();
            answered();
            channel.close();
            return false;
        }
        lastCommandNanos = System.nanoTime();
        boolean more;
        try {
            more = session.handle(packet.firstSequence(), packet.sequence(), packet.payload(), this::answered);
        } finally {
            packet.release();
        }
        if (!more || drained()) {
            channel.close();
            return false;
        }
        return true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (handOverAfterRead) {
            handOverAfterRead = false;
            ByteBuf rest = channel.pipeline().get(PacketDecoder.class).takeRemainingBytes(channel.alloc());
            worker.execute(() -> readOnWorker(rest));
        }
        ctx.fireChannelReadComplete();
    }

    /** On the worker: reads and runs commands until the client is quiet, then gives reading back. */
    private void readOnWorker(ByteBuf rest) {
        try {
            readAndRun(rest);
        } finally {
            server.workerReadsEnded();
        }
    }

    private void readAndRun(ByteBuf rest) {
        PacketDecoder decoder = channel.pipeline().get(PacketDecoder.class);
        if (decoder == null || !channel.isActive()) {
            rest.release();
            return;
        }
        WorkerReads.HandBack back;
        try (WorkerReads reads = new WorkerReads(((ClientChannels.Client) channel).socket())) {
            reader = reads;
            back = reads.run(rest, decoder.framer(), channel.alloc(), new WorkerReads.Commands() {
                @Override
                public boolean forEventLoop(Packet packet) {
                    return isChangeUser(packet);
                }

                @Override
                public boolean run(Packet packet) {
                    inFlight.incrementAndGet();
                    return runCommand(packet);
                }

                @Override
                public boolean open() {
                    return channel.isActive();
                }
            });
        } catch (TooLongFrameException e) {
            channel.eventLoop().execute(this::packetTooLong);
            return;
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: {}", channel.remoteAddress(), e.toString());
            channel.close();
            return;
        } finally {
            reader = null;
        }
        if (back == null) {
            channel.close();
            return;
        }
        channel.eventLoop().execute(() -> handBack(back));
    }

    /** On the event loop: reads again, from the bytes the worker read and did not use. */
    private void handBack(WorkerReads.HandBack back) {
        workerReads = false;
        if (!channel.isActive()) {
            back.rest().release();
            if (back.packet() != null) {
                back.packet().release();
            }
            return;
        }
        channel.config().setAutoRead(true);
        if (back.packet() != null) {
            // COM_CHANGE_USER, as if the event loop had read it.
            channelRead(channel.pipeline().context(this), back.packet());
        }
        if (back.rest().isReadable()) {
            channel.pipeline().fireChannelRead(back.rest());
            channel.pipeline().fireChannelReadComplete();
        } else {
            back.rest().release();
        }
    }

    private static boolean isChangeUser(Packet packet) {
        return packet.payload().isReadable()
                && packet.payload().getUnsignedByte(packet.payload().readerIndex()) == Command.CHANGE_USER;
    }

    /** Shutting down, and this session has nothing under way: it may close. */
    private boolean drained() {
        return server.draining() && inFlight.get() == 0 && !session.inTransaction();
    }

    /** After the login's OK, on the event loop. */
    private void commandDone() {
        answered();
        if (drained()) {
            channel.close();
        }
    }

    /** A command is answered (called before its last write, so before the client can send the next one). */
    private void answered() {
        int left = inFlight.decrementAndGet();
        if (left == 0 && !workerReads && !channel.config().isAutoRead()) {
            // Decided on the event loop, where every increment happens: no lost wake-up.
            channel.eventLoop().execute(() -> {
                if (inFlight.get() == 0 && state == State.COMMAND) {
                    channel.config().setAutoRead(true);
                }
            });
        }
    }

    /** Sends an error and closes the connection. */
    private void refuse(int code, String sqlState, String message) {
        if (!channel.isActive()) {
            return;
        }
        state = State.CLOSED;
        try {
            sink.send(new ErrPacket(code, sqlState, message).encode(channel.alloc()));
            sink.flush();
        } catch (PacketSink.ClientGoneException ignored) {
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // A session its worker reads has no reads the idle handler sees: its last command counts.
        if (evt instanceof IdleStateEvent && state == State.COMMAND && !busy() && !workerReads
                && System.nanoTime() - lastCommandNanos >= server.config().idleTimeout().toNanos()) {
            LOG.debug("{}: idle for {}, disconnecting", channel.remoteAddress(), server.config().idleTimeout());
            channel.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (sink != null) {
            sink.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            packetTooLong();
        } else if (cause instanceof DecoderException) {
            LOG.info("{}: undecodable input, disconnecting: {}", channel.remoteAddress(), cause.getMessage());
            channel.close();
        } else {
            LOG.debug("{}: {}", channel.remoteAddress(), cause.toString());
            channel.close();
        }
    }

    private void packetTooLong() {
        LOG.info("{}: packet over the limit, disconnecting", channel.remoteAddress());
        sink.reset(-1);
        refuse(ErrPacket.ER_NET_PACKET_TOO_LARGE, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        WorkerReads reading = reader;
        if (reading != null) {
            reading.wakeup();
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (worker != null) {
            worker.execute(() -> {
                session.close();
                server.release(this);
            });
        }
    }
}
