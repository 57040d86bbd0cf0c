package io.mailbridge.sandbox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTlsTest {

    @Test
    void aKeptCaIsReusedSoAPersonTrustsItOnce(@TempDir Path folder) throws Exception {
        SandboxTls first = SandboxTls.keptIn(folder);
        SandboxTls second = SandboxTls.keptIn(folder);

        assertEquals(first.certificate(), second.certificate());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("mailbridge-sandbox-ca-key.p12"))));
        assertNotEquals(first.certificate(), SandboxTls.generate().certificate(), "generate() keeps nothing");
    }

    @Test
    void theCaMayOnlyVouchForLoopbackNames() {
        SandboxTls tls = SandboxTls.generate();

        assertEquals(0, tls.certificate().getBasicConstraints(), "a CA that issues only server certificates");
        assertNotNull(tls.certificate().getExtensionValue(Extension.nameConstraints.getId()));
        assertTrue(tls.certificate().getCriticalExtensionOIDs().contains(Extension.nameConstraints.getId()));
    }
}
