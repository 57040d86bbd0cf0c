package io.mailbridge.e2e.bench;

import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A benchmark's Markdown report: each line printed as it comes, and all of them written to e2e/target/bench at the end. */
final class BenchReport {
    private final List<String> lines = new ArrayList<>();
    private final Path file;

    BenchReport(String fileName) {
        this.file = ProjectRoot.resolve("e2e/target/bench/" + fileName);
    }

    void line(String text) {
        System.out.println(text);
        lines.add(text);
    }

    void write() throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        System.out.println("Report written to " + file);
    }
}
