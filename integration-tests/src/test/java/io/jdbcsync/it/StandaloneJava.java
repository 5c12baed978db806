package io.jdbcsync.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a single-file Java program in its own JVM on the standalone driver jar and sqlite-jdbc alone. */
final class StandaloneJava {

    private StandaloneJava() {
    }

    static Path standaloneJar() throws Exception {
        Path target = Paths.get("..", "driver", "target").toAbsolutePath().normalize();
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-standalone.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-standalone.jar in " + target
                            + " (it is built by the driver module's package phase)"));
        }
    }

    private static String sqliteJdbcJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("sqlite-jdbc"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("sqlite-jdbc is not on the test class path"));
    }

    /** Runs the source file with the arguments; fails the test unless it exits 0. Returns its output. */
    static String run(Path source, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", standaloneJar() + File.pathSeparator + sqliteJdbcJar(), source.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
