package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.session.Backend;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The proxy's metrics in Prometheus format: connections, commands, errors, and the sync state the
 * driver reports ({@code CALL sync_status()}, read at scrape time).
 */
final class ProxyMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter connections;
    private final Counter refused;
    private final Counter authFailures;
    private final Counter commands;
    private final Counter errors;
    private HTTPServer http;

    ProxyMetrics(IntSupplier sessions, Backend backend) {
        connections = Counter.builder().name("jdbcsync_proxy_connections_total")
                .help("client connections accepted").register(registry);
        refused = Counter.builder().name("jdbcsync_proxy_connections_refused_total")
                .help("client connections refused (limit reached, shutting down)").register(registry);
        authFailures = Counter.builder().name("jdbcsync_proxy_auth_failures_total")
                .help("logins refused for a wrong user or password").register(registry);
        commands = Counter.builder().name("jdbcsync_proxy_commands_total")
                .help("commands received, by command").labelNames("command").register(registry);
        errors = Counter.builder().name("jdbcsync_proxy_errors_total")
                .help("error packets sent in answer to commands").register(registry);
        GaugeWithCallback.builder().name("jdbcsync_proxy_sessions").help("client sessions open")
                .callback(cb -> cb.call(sessions.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("jdbcsync_proxy_backend_connections_in_use")
                .help("backend connections held by sessions (multiplexing gives the others back to the pool)")
                .callback(cb -> cb.call(backend.inUse())).register(registry);
        GaugeWithCallback.builder().name("jdbcsync_sync_state")
                .help("the driver's sync_status(): pending_changes, conflicts, parked_changes, last_sync_age_seconds, last_sync_ok")
                .labelNames("value")
                .callback(cb -> syncStatus(backend, cb)).register(registry);
    }

    private static void syncStatus(Backend backend, GaugeWithCallback.Callback cb) {
        try (Connection c = backend.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CALL sync_status()")) {
            if (!rs.next()) {
                return;
            }
            cb.call(rs.getLong("pending_changes"), "pending_changes");
            cb.call(rs.getLong("conflicts"), "conflicts");
            cb.call(rs.getLong("parked_changes"), "parked_changes");
            String last = rs.getString("last_sync");
            if (last != null) {
                cb.call((System.currentTimeMillis() - Instant.parse(last).toEpochMilli()) / 1000.0, "last_sync_age_seconds");
            }
            cb.call(rs.getString("last_error") == null ? 1 : 0, "last_sync_ok");
        } catch (SQLException | RuntimeException e) {
            LOG.debug("sync_status for metrics failed: {}", e.getMessage());
        }
    }

    void serve(String host, int port) throws IOException {
        http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        LOG.info("metrics on http://{}:{}/metrics", host, http.getPort());
    }

    int port() {
        return http == null ? -1 : http.getPort();
    }

    void connection(boolean admitted) {
        (admitted ? connections : refused).inc();
    }

    void authFailure() {
        authFailures.inc();
    }

    void command(int command) {
        commands.labelValues(CommandNames.of(command)).inc();
    }

    void error() {
        errors.inc();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }
}
