package io.jdbcsync.proxy.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the proxy is started with.
 *
 * @param host              address to listen on
 * @param port              port to listen on (0: any free port)
 * @param url               the jdbc:sync:mariadb: URL of the synced database
 * @param users             accounts clients log in with (user to password); empty: the URL's account
 * @param maxConnections    client connections at once
 * @param handshakeTimeout  time a client has to log in
 * @param idleTimeout       an idle client is disconnected after this
 * @param maxPacket         the largest packet a client may send
 * @param shutdownTimeout   how long open transactions may run on after SIGTERM
 * @param tls               the server certificate, or null for no TLS
 * @param metricsHost       where Prometheus metrics are served over HTTP, or null for nowhere
 * @param metricsPort       port of the metrics endpoint (0: any free port)
 * @param backendConnections size of the backend connection pool
 * @param multiplex         sessions without session state give their backend connection back
 *                          between statements; off: a session keeps one for its whole life
 */
public record ProxyConfig(String host, int port, String url, Map<String, String> users, int maxConnections,
                          Duration handshakeTimeout, Duration idleTimeout, int maxPacket, Duration shutdownTimeout,
                          Tls tls, String metricsHost, int metricsPort, int backendConnections,
                          boolean multiplex) {

    /**
     * TLS for clients that ask for it.
     *
     * @param certificate a PEM certificate chain, or a PKCS#12 file (.p12/.pfx) holding key and chain
     * @param key         the PEM private key (PKCS#8); null with PKCS#12
     * @param password    the PKCS#12 or key password; null for none
     * @param required    refuse clients that do not switch to TLS
     */
    public record Tls(Path certificate, Path key, String password, boolean required) {
    }

    public static ProxyConfig of(String host, int port, String url) {
        return new ProxyConfig(host, port, url, Map.of(), 100, Duration.ofSeconds(10), Duration.ofHours(8),
                64 * 1024 * 1024, Duration.ofSeconds(30), null, null, 0, 100, true);
    }

    public ProxyConfig withMetrics(String metricsHost, int metricsPort) {
        return new ProxyConfig(host, port, url, users, maxConnections, handshakeTimeout, idleTimeout, maxPacket, shutdownTimeout, tls, metricsHost, metricsPort, backendConnections, multiplex);
    }

    public ProxyConfig withTls(Tls tls) {
        return new ProxyConfig(host, port, url, users, maxConnections, handshakeTimeout, idleTimeout, maxPacket, shutdownTimeout, tls, metricsHost, metricsPort, backendConnections, multiplex);
    }

    public ProxyConfig withUsers(Map<String, String> users) {
        return new ProxyConfig(host, port, url, users, maxConnections, handshakeTimeout, idleTimeout, maxPacket, shutdownTimeout, tls, metricsHost, metricsPort, backendConnections, multiplex);
    }

    public ProxyConfig withLimits(int maxConnections, Duration handshakeTimeout, Duration idleTimeout, int maxPacket) {
        return new ProxyConfig(host, port, url, users, maxConnections, handshakeTimeout, idleTimeout, maxPacket, shutdownTimeout, tls, metricsHost, metricsPort, backendConnections, multiplex);
    }

    public ProxyConfig withShutdownTimeout(Duration shutdownTimeout) {
        return new ProxyConfig(host, port, url, users, maxConnections, handshakeTimeout, idleTimeout, maxPacket, shutdownTimeout, tls, metricsHost, metricsPort, backendConnections, multiplex);
    }

    public ProxyConfig withBackend(int backendConnections, boolean multiplex) {
        return new ProxyConfig(host, port, url, users, maxConnections, handshakeTimeout, idleTimeout, maxPacket, shutdownTimeout, tls, metricsHost, metricsPort, backendConnections, multiplex);
    }
}
