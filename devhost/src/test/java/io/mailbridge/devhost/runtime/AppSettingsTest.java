package io.mailbridge.devhost.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppSettingsTest {
    private final AppSettings settings = AppSettings.of(Map.of("QUEUE", "orders", "Env", "dev", "Blank", " "));

    @Test
    void resolvesEverySettingExpression() {
        List<String> missing = new ArrayList<>();

        assertEquals("orders", settings.resolve("%QUEUE%", missing::add));
        assertEquals("orders-dev", settings.resolve("%queue%-%ENV%", missing::add), "names ignore case");
        assertEquals("plain", settings.resolve("plain", missing::add));
        assertEquals(List.of(), missing);
    }

    @Test
    void namesEverySettingThatIsMissingOrBlank() {
        List<String> missing = new ArrayList<>();

        settings.resolve("%MISSING%-%Blank%-%QUEUE%", missing::add);

        assertEquals(List.of("MISSING", "Blank"), missing);
        assertEquals(Optional.empty(), settings.get("Blank"));
    }
}
