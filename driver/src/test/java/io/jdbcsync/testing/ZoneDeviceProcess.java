package io.jdbcsync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A device that lives in its own JVM with its own {@code user.timezone} for as long as a test
 * needs it: each {@link #step} is sent to {@link ZoneDevice} there (plain SQL, {@code sync}, or a
 * prepared statement with typed parameters) and answered before the next.
 */
public final class ZoneDeviceProcess implements AutoCloseable {
    static final String ANSWER = "@@jdbc-sync-test ";

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final String zone;
    private final List<String> noise = new ArrayList<>();

    public ZoneDeviceProcess(String zone, String url) throws IOException {
        this.zone = zone;
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=" + zone, "-cp", System.getProperty("java.class.path"), ZoneDevice.class.getName(), url);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = answer();
        if (!ready.equals("ready " + zone)) {
            throw new IllegalStateException("device in " + zone + " did not start: " + ready + " " + noise);
        }
    }

    public String zone() {
        return zone;
    }

    /** Runs one step there; a SQLException there is thrown here with its SQLState and message. */
    public void step(String step) throws SQLException, IOException {
        if (step.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a step is one line: " + step);
        }
        in.println(step);
        String a = answer();
        if (a.startsWith("error ")) {
            int space = a.indexOf(' ', 6);
            String state = a.substring(6, space < 0 ? a.length() : space);
            throw new SQLException(space < 0 ? "" : a.substring(space + 1), "null".equals(state) ? null : state);
        }
        if (!a.equals("ok")) {
            throw new IllegalStateException("device in " + zone + " answered " + a + " " + noise);
        }
    }

    private String answer() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(ANSWER)) {
                return line.substring(ANSWER.length());
            }
            noise.add(line);
        }
        throw new IOException("device in " + zone + " ended: " + String.join("\n", noise));
    }

    @Override
    public void close() throws Exception {
        in.println("quit");
        in.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
