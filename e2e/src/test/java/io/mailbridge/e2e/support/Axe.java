package io.mailbridge.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Deque's axe-core (the npm package pinned in package-lock.json) run inside the page a browser shows,
 * with its default rules: WCAG A and AA plus best practices. Injected through the driver, so the page's
 * own Content-Security-Policy, which allows no outside script, stays as it is.
 */
public final class Axe {
    private static final Path SCRIPT = ProjectRoot.resolve("node_modules/axe-core/axe.min.js");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile String source;

    private Axe() {}

    /** One rule broken on the page, with the elements that break it (CSS selectors). */
    public record Violation(String id, String impact, String help, List<String> targets) {
        @Override
        public String toString() {
            return id + " (" + impact + "): " + help + " at " + targets;
        }
    }

    /** Every violation on the page as it is now; empty when axe finds nothing. */
    public static List<Violation> violations(ChromeDriver browser) {
        Object answer = browser.executeAsyncScript(script()
                + "\n;var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done('axe failed: ' + e); });");
        String json = String.valueOf(answer);
        if (!json.startsWith("[")) {
            throw new IllegalStateException(json);
        }
        try {
            List<Violation> violations = new ArrayList<>();
            for (JsonNode violation : JSON.readTree(json)) {
                List<String> targets = new ArrayList<>();
                violation.path("nodes").forEach(node -> targets.add(node.path("target").toString()));
                violations.add(new Violation(violation.path("id").asText(), violation.path("impact").asText(),
                        violation.path("help").asText(), targets));
            }
            return violations;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String script() {
        if (source == null) {
            if (!Files.isRegularFile(SCRIPT)) {
                throw new IllegalStateException("axe-core is not installed at " + SCRIPT + ": run `npm ci` in " + ProjectRoot.path());
            }
            try {
                source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }
}
