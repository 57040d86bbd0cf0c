package io.mailbridge.graph;

import io.mailbridge.Lazy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whom the app trusts when it calls Microsoft or the relay: the JVM's usual certificate authorities, plus any
 * extra ones a setting names (the local sandbox generates its own at start). The extra file is read at start, so
 * a missing one stops the app there; the trust managers and the TLS context (the JDK's whole CA list, its TLS
 * provider) are built on first use, which a cold start need not wait for.
 */
public final class TrustMaterial {
    private final Lazy<Built> built;

    private record Built(SSLSocketFactory socketFactory, X509TrustManager trustManager) {}

    private TrustMaterial(Lazy<Built> built) {
        this.built = built;
    }

    public static TrustMaterial of(Optional<Path> extraCaCertificates) {
        Optional<byte[]> pem = extraCaCertificates.map(file -> {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw failure(file, e);
            }
        });
        return new TrustMaterial(Lazy.of(() -> build(extraCaCertificates, pem)));
    }

    public SSLSocketFactory socketFactory() {
        return built.get().socketFactory();
    }

    public X509TrustManager trustManager() {
        return built.get().trustManager();
    }

    private static Built build(Optional<Path> file, Optional<byte[]> pem) {
        try {
            X509TrustManager system = trustManager(null);
            if (pem.isEmpty()) {
                return new Built(context(system).getSocketFactory(), system);
            }
            KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
            extra.load(null, null);
            List<Certificate> certificates = readPem(pem.get());
            for (int i = 0; i < certificates.size(); i++) {
                extra.setCertificateEntry("extra-" + i, certificates.get(i));
            }
            X509TrustManager both = new EitherTrustManager(system, trustManager(extra));
            return new Built(context(both).getSocketFactory(), both);
        } catch (GeneralSecurityException | IOException e) {
            throw failure(file.orElse(null), e);
        }
    }

    private static IllegalStateException failure(Path file, Exception e) {
        return new IllegalStateException("Cannot load the extra CA certificates from " + file + ": " + e.getMessage(), e);
    }

    private static List<Certificate> readPem(byte[] pem) throws IOException, GeneralSecurityException {
        try (InputStream in = new ByteArrayInputStream(pem)) {
            List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("the file holds no certificate");
            }
            return certificates;
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast).findFirst().orElseThrow();
    }

    private static SSLContext context(X509TrustManager trustManager) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustManager}, null);
        return context;
    }

    /** Trusts a server that either the system's CAs or the extra CAs vouch for. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            first.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (java.security.cert.CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
