package io.distill.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and returns what it printed; the benchmarks' load and baseline tools are processes of their own. */
final class Processes {
    private Processes() {}

    static String run(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        // into a file, not a pipe: reading a pipe to its end would wait past the timeout for a process that hangs
        Path output = Files.createTempFile("distill-bench-", ".out");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command + "\n" + printed(output));
            }
            String text = printed(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + ": " + command + "\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** What a tool printed, whatever its bytes (a tool's output need not be valid UTF-8). */
    private static String printed(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
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
