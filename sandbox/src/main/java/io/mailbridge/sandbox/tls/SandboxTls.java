package io.mailbridge.sandbox.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at start, with what servers and
 * clients need: the server's SSLContext, and for clients the certificate as PEM (string and
 * file), a PKCS12 trust store, a trust manager and a socket factory that trust only it.
 */
public final class SandboxTls {
    /** The password of the written PKCS12 trust store; it protects nothing secret (a public certificate). */
    public static final String TRUST_STORE_PASSWORD = "sandbox";
    private static final char[] KEY_PASSWORD = "sandbox-server-key".toCharArray();

    private final X509Certificate certificate;
    private final SSLContext serverContext;
    private final SSLContext clientContext;
    private final X509TrustManager trustManager;

    private SandboxTls(X509Certificate certificate, SSLContext serverContext, SSLContext clientContext, X509TrustManager trustManager) {
        this.certificate = certificate;
        this.serverContext = serverContext;
        this.clientContext = clientContext;
        this.trustManager = trustManager;
    }

    public static SandboxTls generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(keys);

            KeyStore serverStore = KeyStore.getInstance("PKCS12");
            serverStore.load(null, null);
            serverStore.setKeyEntry("sandbox", keys.getPrivate(), KEY_PASSWORD, new X509Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(serverStore, KEY_PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keyManagers.getKeyManagers(), null, null);

            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore(certificate));
            X509TrustManager trustManager = (X509TrustManager) trustManagers.getTrustManagers()[0];
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trustManagers.getTrustManagers(), null);
            return new SandboxTls(certificate, server, client, trustManager);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not make the sandbox's TLS certificate", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, IOException {
        try {
            X500Name subject = new X500Name("CN=Mailbridge sandbox (loopback only)");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyStore trustStore(X509Certificate certificate) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("mailbridge-sandbox", certificate);
        return store;
    }

    public SSLContext serverContext() {
        return serverContext;
    }

    /** An SSLContext that trusts the sandbox's certificate and nothing else. */
    public SSLContext clientContext() {
        return clientContext;
    }

    public SSLSocketFactory socketFactory() {
        return clientContext.getSocketFactory();
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the certificate as PEM and as a PKCS12 trust store, for clients configured by path. */
    public void writeTrustFiles(Path pemFile, Path trustStoreFile) {
        try {
            Files.createDirectories(pemFile.toAbsolutePath().getParent());
            Files.writeString(pemFile, certificatePem(), StandardCharsets.US_ASCII);
            Files.createDirectories(trustStoreFile.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(trustStoreFile)) {
                trustStore(certificate).store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
