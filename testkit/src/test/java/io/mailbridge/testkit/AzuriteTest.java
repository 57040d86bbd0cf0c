package io.mailbridge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzuriteTest {

    @Test
    void startsOnPortsTheSystemPickedAndStopsWhenClosed() throws IOException {
        try (Azurite first = Azurite.start(); Azurite second = Azurite.start()) {
            for (int port : new int[] {first.blobPort(), first.queuePort(), first.tablePort()}) {
                assertNotEquals(10000, port);
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    assertTrue(socket.isConnected());
                }
            }
            assertNotEquals(first.queuePort(), second.queuePort(), "two Azurites never share a port");
            assertTrue(first.connectionString().contains("QueueEndpoint=http://127.0.0.1:" + first.queuePort()));
            first.close();
            assertFalse(first.isRunning());
        }
    }

    @Test
    void saysToRunNpmCiWhenAzuriteIsNotInstalled(@TempDir Path emptyRoot) throws IOException {
        Files.writeString(emptyRoot.resolve("package.json"), "{}");
        String previous = System.getProperty("mailbridge.root");
        System.setProperty("mailbridge.root", emptyRoot.toString());
        try {
            IllegalStateException error = assertThrows(IllegalStateException.class, Azurite::start);
            assertTrue(error.getMessage().contains("npm ci"), error.getMessage());
            assertTrue(error.getMessage().contains(emptyRoot.toString()), error.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("mailbridge.root");
            } else {
                System.setProperty("mailbridge.root", previous);
            }
        }
        assertEquals(previous, System.getProperty("mailbridge.root"));
    }
}
