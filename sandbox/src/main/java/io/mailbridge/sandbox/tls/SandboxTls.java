package io.mailbridge.sandbox.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The sandbox's local certificate authority: it issues the server certificates of everything
 * served on this machine (the sandbox itself, the function app, a test's webhook receiver) for
 * localhost, 127.0.0.1 and ::1, so clients trust one CA and verify the chain and host name as they
 * would in Azure. The CA is name-constrained to loopback, so trusting it (in a browser, curl) can
 * never vouch for a real site. Given a folder it keeps the CA there and reuses it, so a person
 * trusts it once; clients get it as PEM, a PKCS12 trust store, a trust manager or an SSLContext.
 */
public final class SandboxTls {
    /** The password of the written PKCS12 trust store; it protects nothing secret (a public certificate). */
    public static final String TRUST_STORE_PASSWORD = "sandbox";
    /** Protects the kept CA key only as far as file permissions do: the CA is for loopback only. */
    private static final char[] CA_STORE_PASSWORD = "mailbridge-sandbox-ca".toCharArray();
    private static final String CA_STORE_FILE = "mailbridge-sandbox-ca-key.p12";
    private static final char[] KEY_PASSWORD = "sandbox-server-key".toCharArray();
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration SERVER_LIFETIME = Duration.ofDays(90);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate ca;
    private final PrivateKey caKey;
    private final SSLContext serverContext;
    private final SSLContext clientContext;
    private final X509TrustManager trustManager;

    private SandboxTls(X509Certificate ca, PrivateKey caKey) throws GeneralSecurityException {
        this.ca = ca;
        this.caKey = caKey;
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStore(ca));
        this.trustManager = (X509TrustManager) trustManagers.getTrustManagers()[0];
        this.clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trustManagers.getTrustManagers(), null);
        this.serverContext = issueServerContext();
    }

    /** A new CA, kept nowhere: gone when the JVM ends. */
    public static SandboxTls generate() {
        try {
            KeyPair keys = keyPair();
            return new SandboxTls(caCertificate(keys), keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make the sandbox's certificate authority", e);
        }
    }

    /** The CA kept in the folder, or a new one written there (owner-only) when there is none or it expires within a month. */
    public static SandboxTls keptIn(Path folder) {
        Path file = folder.resolve(CA_STORE_FILE);
        try {
            if (Files.exists(file)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, CA_STORE_PASSWORD);
                }
                X509Certificate kept = (X509Certificate) store.getCertificate("ca");
                if (kept != null && kept.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(30)))) {
                    return new SandboxTls(kept, (PrivateKey) store.getKey("ca", CA_STORE_PASSWORD));
                }
            }
            SandboxTls fresh = generate();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("ca", fresh.caKey, CA_STORE_PASSWORD, new X509Certificate[] {fresh.ca});
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, "ca", ".tmp");
            ownerOnly(temporary);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, CA_STORE_PASSWORD);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the sandbox's certificate authority in " + folder, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The sandbox's certificate authority in " + file + " is unreadable; delete the file", e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the user's profile folder's permissions apply.
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair keys) throws GeneralSecurityException {
        try {
            X500Name subject = new X500Name("CN=Mailbridge sandbox CA (loopback only)");
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(CA_LIFETIME)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.nameConstraints, true, new NameConstraints(new GeneralSubtree[] {
                    new GeneralSubtree(new GeneralName(GeneralName.dNSName, "localhost")),
                    new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {127, 0, 0, 0, (byte) 255, 0, 0, 0}))),
                    new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(ipv6LoopbackWithMask())))}, null));
            return sign(builder, keys.getPrivate());
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static byte[] ipv6LoopbackWithMask() {
        byte[] value = new byte[32];
        value[15] = 1;
        java.util.Arrays.fill(value, 16, 32, (byte) 0xff);
        return value;
    }

    /** A new key and a certificate for localhost, 127.0.0.1 and ::1 signed by this CA, as a server's SSLContext. */
    public SSLContext issueServerContext() {
        try {
            KeyPair keys = keyPair();
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(SERVER_LIFETIME)), new X500Name("CN=localhost"), keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate server = sign(builder, caKey);

            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), KEY_PASSWORD, new X509Certificate[] {server, ca});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, KEY_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not issue a server certificate from the sandbox's CA", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    private static KeyStore trustStore(X509Certificate certificate) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("mailbridge-sandbox-ca", certificate);
            return store;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** The sandbox's own server certificate. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** An SSLContext that trusts certificates this CA issued and nothing else. */
    public SSLContext clientContext() {
        return clientContext;
    }

    public SSLSocketFactory socketFactory() {
        return clientContext.getSocketFactory();
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** The CA's certificate: the one to trust. */
    public X509Certificate certificate() {
        return ca;
    }

    public String certificatePem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CA certificate as PEM and as a PKCS12 trust store, for clients configured by path. */
    public void writeTrustFiles(Path pemFile, Path trustStoreFile) {
        try {
            Files.createDirectories(pemFile.toAbsolutePath().getParent());
            Files.writeString(pemFile, certificatePem(), StandardCharsets.US_ASCII);
            Files.createDirectories(trustStoreFile.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(trustStoreFile)) {
                trustStore(ca).store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
