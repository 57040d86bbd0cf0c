package io.mailbridge;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Settings;
import io.mailbridge.connect.ConnectStartFunction;
import io.mailbridge.outbound.OutboundMailFunction;
import io.mailbridge.support.TestSettings;
import io.mailbridge.webhook.GraphWebhookFunction;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root builds a service when a function first needs it: a cold instance answering Graph's webhook
 * does not build Microsoft's sign-in or the relay. A setting only those need (here an unreadable CA file) therefore
 * fails the functions that use it, each time and by name, and not the webhook.
 */
class AppTest {

    @Test
    void theWebhookIsServedWithoutBuildingWhatOnlyOtherFlowsNeed(@TempDir Path folder) {
        Path missing = folder.resolve("no-such-ca.pem");
        App app = new App(Settings.from(TestSettings.with("MAILBRIDGE_EXTRA_CA_CERTIFICATES", missing.toString())), Clock.systemUTC(),
                OpenTelemetry.noop());

        assertInstanceOf(GraphWebhookFunction.class, app.getInstance(GraphWebhookFunction.class));
        assertTrue(assertThrows(IllegalStateException.class, () -> app.getInstance(ConnectStartFunction.class)).getMessage()
                .contains(missing.toString()));
        // Nothing half-built is kept: the next function that needs the same services fails as clearly.
        assertTrue(assertThrows(IllegalStateException.class, () -> app.getInstance(OutboundMailFunction.class)).getMessage()
                .contains(missing.toString()));
    }

    @Test
    void eachFunctionClassIsWiredAndAnUnknownOneIsNamed() {
        App app = new App(Settings.from(TestSettings.values()), Clock.systemUTC(), OpenTelemetry.noop());

        for (Class<?> function : app.functionClasses()) {
            assertInstanceOf(function, app.getInstance(function));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> app.getInstance(String.class)).getMessage()
                .contains("java.lang.String is not wired"));
    }
}
