package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.ExternalClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS from a PKCS#12 file and from PEM files; clients that ask for it get it, and it can be required. */
class TlsTest {

    private static Path pkcs12(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ExternalClient.run(List.of(keytool, "-genkeypair", "-alias", "proxy", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit"), Map.of(), dir, 120);
        return store;
    }

    private static void assertTlsSession(RunningProxy proxy) throws Exception {
        String cli = ExternalClient.require("mariadb", "apt-get install -y mariadb-client");
        String out = ExternalClient.run(List.of(cli, "-h127.0.0.1", "-P" + proxy.port(), "-u" + RunningProxy.USER,
                "-p" + RunningProxy.PASSWORD, "--ssl", "--skip-ssl-verify-server-cert", proxy.database(), "-e",
                "status; SELECT 'tls-ok';"), Map.of(), null, 60);
        assertTrue(out.contains("Cipher in use is"), out);
        assertTrue(out.contains("tls-ok"), out);
        try (Connection c = proxy.connect("sslMode=trust"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void pkcs12CertificateServesTlsAndCanRequireIt() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Path store = pkcs12(dir);
        try (RunningProxy proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withTls(new ProxyConfig.Tls(store, null, "changeit", true)))) {
            assertTlsSession(proxy);
            SQLException refused = assertThrows(SQLException.class, () -> proxy.connect("sslMode=disable"));
            assertEquals(1045, refused.getErrorCode());
            assertTrue(refused.getMessage().contains("requires TLS"), refused.getMessage());
        }
    }

    /**
     * The SSL request and the TLS ClientHello in one TCP segment (a client that does not wait):
     * the bytes after the request must go through TLS, not the packet decoder.
     */
    @Test
    void clientHelloInTheSameSegmentAsTheSslRequest() throws Exception {
        Path store = pkcs12(Files.createTempDirectory("tls"));
        try (RunningProxy proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withTls(new ProxyConfig.Tls(store, null, "changeit", false)));
             java.net.Socket plain = new java.net.Socket("127.0.0.1", proxy.port())) {
            plain.setSoTimeout(20_000);
            java.io.InputStream in = plain.getInputStream();
            byte[] header = in.readNBytes(4);
            in.readNBytes((header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16);
            int caps = (1 << 9) | (1 << 15) | (1 << 19) | (1 << 11); // PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, SSL
            byte[] sslRequest = new byte[36];
            sslRequest[0] = 32;
            sslRequest[3] = 1;
            sslRequest[4] = (byte) caps;
            sslRequest[5] = (byte) (caps >> 8);
            sslRequest[6] = (byte) (caps >> 16);
            sslRequest[11] = 1;
            sslRequest[12] = 45;
            // The first TLS write (the ClientHello) carries the SSL request in front of it.
            java.net.Socket prefixing = new java.net.Socket() {
                @Override
                public java.io.OutputStream getOutputStream() throws java.io.IOException {
                    java.io.OutputStream out = plain.getOutputStream();
                    return new java.io.FilterOutputStream(out) {
                        private boolean first = true;

                        @Override
                        public void write(byte[] b, int off, int len) throws java.io.IOException {
                            if (first) {
                                first = false;
                                byte[] both = java.util.Arrays.copyOf(sslRequest, sslRequest.length + len);
                                System.arraycopy(b, off, both, sslRequest.length, len);
                                out.write(both);
                            } else {
                                out.write(b, off, len);
                            }
                        }
                    };
                }

                @Override
                public java.io.InputStream getInputStream() throws java.io.IOException {
                    return plain.getInputStream();
                }

                @Override
                public boolean isConnected() {
                    return true;
                }
            };
            javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
            trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) trustAll.getSocketFactory()
                    .createSocket(prefixing, "127.0.0.1", proxy.port(), false)) {
                tls.startHandshake();
                assertTrue(tls.getSession().isValid(), "TLS handshake completed");
            }
        }
    }

    @Test
    void pemCertificateAndKey() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        String openssl = ExternalClient.require("openssl", "apt-get install -y openssl");
        ExternalClient.run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-days", "2", "-keyout", "key.pem", "-out", "cert.pem"), Map.of(), dir, 120);
        try (RunningProxy proxy = RunningProxy.start(Files.createTempDirectory("proxy-log"),
                c -> c.withTls(new ProxyConfig.Tls(dir.resolve("cert.pem"), dir.resolve("key.pem"), null, false)))) {
            assertTlsSession(proxy);
            try (Connection plain = proxy.connect("sslMode=disable")) {
                assertTrue(plain.isValid(5), "TLS is optional unless required");
            }
        }
    }
}
