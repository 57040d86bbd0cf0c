package io.mailbridge.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root folder, where package.json, host.json and node_modules live. */
public final class ProjectRoot {
    private ProjectRoot() {}

    /**
     * Maven passes the root as the {@code mailbridge.root} system property; an IDE run falls back
     * to the nearest parent of the working directory that holds the root pom's package.json.
     */
    public static Path path() {
        String fromBuild = System.getProperty("mailbridge.root");
        if (fromBuild != null && !fromBuild.isBlank()) {
            return Path.of(fromBuild).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("package.json")) && Files.exists(dir.resolve("host.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "Cannot find the project root: set -Dmailbridge.root or run from inside the checkout");
    }

    public static Path resolve(String relative) {
        return path().resolve(relative);
    }
}
