package io.jdbcsync.proxy.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;

/** The server's TLS context from a PEM certificate and key, or from a PKCS#12 file. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext of(ProxyConfig.Tls tls) throws IOException, GeneralSecurityException {
        String name = tls.certificate().getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            char[] password = tls.password() == null ? new char[0] : tls.password().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.certificate())) {
                store.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return build(SslContextBuilder.forServer(kmf));
        }
        if (tls.key() == null) {
            throw new IllegalArgumentException("a PEM certificate needs --tls-key");
        }
        return build(SslContextBuilder.forServer(tls.certificate().toFile(), tls.key().toFile(), tls.password()));
    }

    private static SslContext build(SslContextBuilder builder) throws SSLException {
        return builder.protocols("TLSv1.3", "TLSv1.2").build();
    }
}
