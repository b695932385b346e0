package io.distill.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and returns what it printed; the benchmarks' load and baseline tools are processes of their own. */
final class Processes {
    private Processes() {}

    static String run(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + ": " + command + "\n" + text);
        }
        return text;
    }

    /** The last line a tool printed: where the bench's own tools and the peers' scripts put their result, as JSON. */
    static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** {@code java -cp <this classpath> <main> args…}: a JVM of its own, from the benchmark's classpath. */
    static List<String> java(String heap, String main, Object... args) {
        List<String> command =
                new ArrayList<>(List.of("java", "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), main));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return command;
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
