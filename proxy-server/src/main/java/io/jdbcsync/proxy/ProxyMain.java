package io.jdbcsync.proxy;

import io.jdbcsync.proxy.server.ProxyConfig;
import io.jdbcsync.proxy.server.ProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar jdbc-sync-proxy.jar --listen 127.0.0.1:3307 --url 'jdbc:sync:mariadb://...'}:
 * serves MariaDB/MySQL clients through the syncing driver until SIGTERM, then stops gracefully
 * and exits 0.
 */
public final class ProxyMain {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyMain.class);
    private static final List<String> OPTIONS = List.of("--listen", "--url", "--user", "--password",
            "--max-connections", "--handshake-timeout", "--idle-timeout", "--max-packet", "--shutdown-timeout",
            "--tls-cert", "--tls-key", "--tls-password", "--require-tls", "--metrics", "--backend-connections", "--multiplex");

    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        // The jar is also the whole command line: "proxy ..." is this command, the driver's
        // commands (demo, init, sync, status, conflicts, clone, help) run as from the driver's CLI jar.
        if (args.length > 0 && args[0].equals("proxy")) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else if (args.length > 0 && (!args[0].startsWith("--") || args[0].equals("--version"))) {
            io.jdbcsync.internal.cli.Main.main(args);
            return;
        }
        ProxyConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        ProxyServer server = ProxyServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            LOG.info("stopping: no new connections, open transactions have {} to finish", config.shutdownTimeout());
            server.shutdown();
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), s -> new Thread(stop, "proxy-shutdown").start());
        Signal.handle(new Signal("INT"), s -> new Thread(stop, "proxy-shutdown").start());
        stopped.await();
        System.exit(0);
    }

    static ProxyConfig parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name);
            }
            values.put(name, value);
        }
        String listen = values.get("--listen");
        String url = values.get("--url");
        if (listen == null || url == null) {
            throw new IllegalArgumentException("--listen and --url are required");
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen takes host:port, got " + listen);
        }
        String host = listen.substring(0, colon);
        int port = integer("--listen port", listen.substring(colon + 1));
        ProxyConfig config = ProxyConfig.of(host, port, url);
        if (values.containsKey("--user")) {
            config = config.withUsers(Map.of(values.get("--user"), values.getOrDefault("--password", "")));
        } else if (values.containsKey("--password")) {
            throw new IllegalArgumentException("--password needs --user");
        }
        config = config.withLimits(
                values.containsKey("--max-connections") ? integer("--max-connections", values.get("--max-connections")) : config.maxConnections(),
                values.containsKey("--handshake-timeout") ? seconds("--handshake-timeout", values.get("--handshake-timeout")) : config.handshakeTimeout(),
                values.containsKey("--idle-timeout") ? seconds("--idle-timeout", values.get("--idle-timeout")) : config.idleTimeout(),
                values.containsKey("--max-packet") ? integer("--max-packet", values.get("--max-packet")) : config.maxPacket());
        if (values.containsKey("--tls-cert")) {
            config = config.withTls(new ProxyConfig.Tls(java.nio.file.Path.of(values.get("--tls-cert")),
                    values.containsKey("--tls-key") ? java.nio.file.Path.of(values.get("--tls-key")) : null,
                    values.get("--tls-password"), Boolean.parseBoolean(values.getOrDefault("--require-tls", "false"))));
        } else if (values.containsKey("--require-tls") || values.containsKey("--tls-key")) {
            throw new IllegalArgumentException("--tls-key and --require-tls need --tls-cert");
        }
        if (values.containsKey("--metrics")) {
            String m = values.get("--metrics");
            int c = m.lastIndexOf(':');
            if (c <= 0) {
                throw new IllegalArgumentException("--metrics takes host:port, got " + m);
            }
            config = config.withMetrics(m.substring(0, c), integer("--metrics port", m.substring(c + 1)));
        }
        config = config.withBackend(
                values.containsKey("--backend-connections") ? integer("--backend-connections", values.get("--backend-connections")) : config.backendConnections(),
                !"false".equalsIgnoreCase(values.getOrDefault("--multiplex", "true")));
        if (values.containsKey("--shutdown-timeout")) {
            config = config.withShutdownTimeout(seconds("--shutdown-timeout", values.get("--shutdown-timeout")));
        }
        return config;
    }

    private static int integer(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer, got " + value);
        }
    }

    private static Duration seconds(String name, String value) {
        return Duration.ofSeconds(integer(name, value));
    }

    static String usage() {
        return "usage: java -jar jdbc-sync-proxy.jar [proxy] --listen HOST:PORT --url 'jdbc:sync:mariadb://HOST:PORT/DB?user=..&password=..&sync.log=..'\n"
                + "  [--user NAME --password SECRET]   account clients log in with (default: the URL's)\n"
                + "  [--max-connections 100] [--handshake-timeout 10] [--idle-timeout 28800] (seconds)\n"
                + "  [--max-packet 67108864] (bytes) [--shutdown-timeout 30] (seconds)\n"
                + "  [--backend-connections 100]   backend pool; [--multiplex false]: one backend connection per session\n"
                + "  (the same jar runs the command line: demo|init|sync|status|conflicts|clone|help, --version)\n"
                + "  [--metrics 127.0.0.1:9104]   Prometheus metrics over HTTP at /metrics\n"
                + "  [--tls-cert cert.pem --tls-key key.pem | --tls-cert server.p12 [--tls-password P]] [--require-tls true]";
    }
}
