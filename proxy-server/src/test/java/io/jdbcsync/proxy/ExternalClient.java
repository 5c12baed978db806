package io.jdbcsync.proxy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs a real client program; a missing program fails the test (it is installed by .ci/run). */
public final class ExternalClient {

    private ExternalClient() {
    }

    /** The program's absolute path; fails when it is not installed. */
    public static String require(String program, String installHint) {
        if (program.startsWith("/")) {
            assertTrue(new File(program).canExecute(), program + " is missing: " + installHint);
            return program;
        }
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        fail(program + " is not installed: " + installHint);
        return null;
    }

    /** Output of a run that must exit 0 within the timeout. */
    public static String run(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        Result r = runAny(command, env, dir, timeoutSeconds);
        assertEquals(0, r.exit, () -> "exit code of " + command + "\n" + r.output);
        return r.output;
    }

    public record Result(int exit, String output) {
    }

    public static Result runAny(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        Path out = Files.createTempFile("client", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish in " + timeoutSeconds + "s:\n" + Files.readString(out));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        return new Result(p.exitValue(), text);
    }
}
