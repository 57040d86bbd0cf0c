package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRequestTelemetryTest {

    @Test
    void theKindIsTheLastPlainWordOfThePathNeverAnIdOrAnAddress() {
        assertEquals("delta", GraphRequestTelemetry.resource(List.of("v1.0", "users", "alex.wilber@contoso.example", "mailFolders", "inbox",
                "messages", "delta")));
        assertEquals("delta", GraphRequestTelemetry.resource(List.of("v1.0", "users", "5c9a7f0e-1d2b-4c3d-9e8f-0a1b2c3d4e5f", "mailFolders",
                "AAMkAGI2TG93AAA=", "messages", "delta()")), "as the Graph SDK writes it");
        assertEquals("delta", GraphRequestTelemetry.resource(List.of("v1.0", "users", "alex@contoso.example", "messages", "microsoft.graph.delta()")));
        assertEquals("messages", GraphRequestTelemetry.resource(List.of("v1.0", "users", "5c9a7f0e-1d2b-4c3d-9e8f-0a1b2c3d4e5f",
                "messages", "AAMkAGI2TG93AAA=")));
        assertEquals("subscriptions", GraphRequestTelemetry.resource(List.of("v1.0", "subscriptions", "7f105c7d-2dc5-4530-97cd-4e7ae6534c07")));
        assertEquals("$batch", GraphRequestTelemetry.resource(List.of("v1.0", "$batch")));
        assertEquals("sendMail", GraphRequestTelemetry.resource(List.of("v1.0", "users", "alex@contoso.example", "sendMail")));
        assertEquals("other", GraphRequestTelemetry.resource(List.of("v1.0", "alex@contoso.example")));
    }
}
