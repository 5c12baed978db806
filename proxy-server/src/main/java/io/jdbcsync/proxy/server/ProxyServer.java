package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.auth.Users;
import io.jdbcsync.proxy.protocol.Capabilities;
import io.netty.handler.ssl.SslContext;
import io.jdbcsync.proxy.protocol.PacketDecoder;
import io.jdbcsync.proxy.protocol.PacketEncoder;
import io.jdbcsync.proxy.session.Backend;
import io.jdbcsync.proxy.session.ProcessList;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening server: Netty event loops for the network, a pool of worker threads for the
 * blocking JDBC calls (each session's commands in order), the backend pool.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final Backend backend;
    private final Users users;
    private final EventLoopGroup boss;
    private final EventLoopGroup loops;
    private final ExecutorService workers;
    private final Set<ClientHandler> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final java.util.Map<Long, ClientHandler> byId = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastSessionId = new java.util.concurrent.atomic.AtomicLong();
    private final SslContext tls;
    private final ProxyMetrics metrics;
    private volatile boolean draining;
    /** Sessions whose worker reads their socket now, at most maxWorkerReaders (each holds a thread). */
    private final AtomicInteger workerReaders = new AtomicInteger();
    private final int maxWorkerReaders;
    private Channel listener;

    private ProxyServer(ProxyConfig config, Backend backend, SslContext tls) {
        this.config = config;
        this.tls = tls;
        this.metrics = new ProxyMetrics(this::sessions, backend);
        this.backend = backend;
        this.users = new Users(config.users().isEmpty() ? backend.urlAccount() : config.users());
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // The event loops only frame packets and check passwords: half a loop per core (Netty's
        // default is two) lets one wake-up take the commands of several clients, which measured a
        // quarter less CPU per command under sysbench. -Dio.netty.eventLoopThreads=N overrides it.
        int eventLoops = Integer.getInteger("io.netty.eventLoopThreads",
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        this.loops = new MultiThreadIoEventLoopGroup(eventLoops, NioIoHandler.newFactory());
        AtomicInteger n = new AtomicInteger();
        // Threads are made as sessions become active and end soon after they are not.
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "proxy-session-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.maxWorkerReaders = Integer.getInteger("jdbcsync.proxy.workerReaders",
                Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));
    }

    /** Connects the backend and starts listening. */
    public static ProxyServer start(ProxyConfig config) throws Exception {
        SslContext tls = config.tls() == null ? null : TlsContexts.of(config.tls());
        // Without multiplexing one backend connection per session; plus one so a metrics scrape never
        // waits for a session to end.
        int pool = config.multiplex() ? config.backendConnections() : config.maxConnections();
        Backend backend = new Backend(config.url(), pool + 1);
        ProxyServer server = new ProxyServer(config, backend, tls);
        try {
            server.bind();
            if (config.metricsHost() != null) {
                server.metrics.serve(config.metricsHost(), config.metricsPort());
            }
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, loops)
                .channelFactory((io.netty.channel.ChannelFactory<ClientChannels>) ClientChannels::new)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("decoder", new PacketDecoder(config.maxPacket()))
                                .addLast("encoder", new PacketEncoder())
                                .addLast("client", new ClientHandler(ProxyServer.this));
                    }
                });
        listener = b.bind(config.host(), config.port()).sync().channel();
        LOG.info("listening on {} for {} (synced database {})", listener.localAddress(), Backend.redact(config.url()),
                backend.database());
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    ProxyConfig config() {
        return config;
    }

    Backend backend() {
        return backend;
    }

    Users users() {
        return users;
    }

    /** The TLS context, or null when TLS is not configured. */
    SslContext tls() {
        return tls;
    }

    /** Capabilities offered in the handshake: TLS only when a certificate is configured. */
    int capabilities() {
        return tls == null ? Capabilities.SERVER : Capabilities.SERVER | Capabilities.SSL;
    }

    ExecutorService workers() {
        return workers;
    }

    /**
     * Whether one more session's worker may read its socket: beyond the limit a session's commands
     * are read by the event loop, so many clients that each run a statement now and then do not
     * hold a thread each.
     */
    boolean startWorkerReads() {
        while (true) {
            int n = workerReaders.get();
            if (n >= maxWorkerReaders) {
                return false;
            }
            if (workerReaders.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void workerReadsEnded() {
        workerReaders.decrementAndGet();
    }

    boolean draining() {
        return draining;
    }

    boolean admit(ClientHandler client) {
        if (draining || admitted.incrementAndGet() > config.maxConnections()) {
            admitted.decrementAndGet();
            metrics.connection(false);
            return false;
        }
        clients.add(client);
        metrics.connection(true);
        return true;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    /** The port of the metrics endpoint, or -1 when metrics are not served. */
    public int metricsPort() {
        return metrics.port();
    }

    /** A new session's id, which its handshake shows under multiplexing and KILL takes. */
    long register(ClientHandler client) {
        long id = lastSessionId.incrementAndGet();
        byId.put(id, client);
        return id;
    }

    /**
     * KILL [QUERY | CONNECTION] of a session by its id.
     *
     * @return the backend thread running its command (0: none), or -1 when there is no such session
     */
    long kill(long sessionId, boolean connection) {
        ClientHandler target = byId.get(sessionId);
        if (target == null || target.session() == null || !target.channel().isActive()) {
            return -1;
        }
        long thread = target.session().runningOn();
        if (connection) {
            target.kill();
        }
        return thread;
    }

    /** The logged-in sessions by id, for SHOW PROCESSLIST. */
    List<ProcessList.Entry> processList() {
        List<ProcessList.Entry> entries = new ArrayList<>();
        for (ClientHandler c : byId.values()) {
            ProcessList.Entry e = c.processEntry();
            if (e != null) {
                entries.add(e);
            }
        }
        entries.sort(java.util.Comparator.comparingLong(ProcessList.Entry::id));
        return entries;
    }

    void release(ClientHandler client) {
        byId.remove(client.sessionId());
        if (clients.remove(client)) {
            admitted.decrementAndGet();
        }
    }

    /** Backend connections held now (by sessions with session state, or running a command). */
    public int backendInUse() {
        return backend.inUse();
    }

    /** Client sessions currently open. */
    public int sessions() {
        return clients.size();
    }

    /**
     * Graceful stop: no new connections; idle sessions close now, sessions inside a transaction
     * after it ends or when the timeout is up; then the backend pool closes.
     */
    public void shutdown() {
        draining = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (ClientHandler c : clients) {
            if (!c.busy() && !c.inTransaction()) {
                c.channel().close();
            }
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
            for (ClientHandler c : clients) {
                if (!c.busy() && !c.inTransaction()) {
                    c.channel().close();
                }
            }
        }
        if (!clients.isEmpty()) {
            LOG.warn("{} sessions still open after {}; closing them (open transactions roll back)", clients.size(),
                    config.shutdownTimeout());
            for (ClientHandler c : clients) {
                c.channel().close();
            }
            long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!clients.isEmpty() && System.nanoTime() < hard) {
                sleep(50);
            }
        }
        close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        draining = true;
        // Bounded waits only: a stop must never hang on the network layer.
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (ClientHandler c : clients) {
            c.channel().close();
        }
        io.netty.util.concurrent.Future<?> bossDone = boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.netty.util.concurrent.Future<?> loopsDone = loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!bossDone.awaitUninterruptibly(10, TimeUnit.SECONDS) || !loopsDone.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
            LOG.warn("network threads did not stop within 10 s");
        }
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        backend.close();
        LOG.info("stopped");
    }
}
