package io.mailbridge.health;

import io.mailbridge.config.Region;
import java.util.Map;

/** What /api/health answers: whether the stamp can reach its storage, and why not. */
public record HealthReport(String status, Region region, Map<String, String> checks) {
    public static final String OK = "ok";

    public static HealthReport of(Region region, Map<String, String> checks) {
        boolean healthy = checks.values().stream().allMatch(OK::equals);
        return new HealthReport(healthy ? "healthy" : "unhealthy", region, checks);
    }

    public boolean healthy() {
        return "healthy".equals(status);
    }
}
