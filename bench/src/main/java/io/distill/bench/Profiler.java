package io.distill.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JDK Flight Recorder on a running service, from the outside: {@code jcmd JFR.start} when a phase
 * begins, {@code JFR.stop} with a file when it ends, and the hottest frames of the CPU samples
 * ({@code jdk.ExecutionSample}, read with the JDK's {@code jfr} tool): where the service spent its
 * time during the phase, as the share of samples whose top frame is each method.
 */
final class Profiler {
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    private Profiler() {}

    static void start(long pid, String name) throws Exception {
        Processes.run(
                List.of(
                        JAVA_BIN.resolve("jcmd").toString(),
                        String.valueOf(pid),
                        "JFR.start",
                        "name=" + name,
                        "settings=profile"),
                Map.of(),
                60);
    }

    /** Stops the recording and returns its {@code top} hottest methods, as "share % method" lines. */
    static List<String> stop(long pid, String name, Path dir, int top) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".jfr").toAbsolutePath();
        Processes.run(
                List.of(
                        JAVA_BIN.resolve("jcmd").toString(),
                        String.valueOf(pid),
                        "JFR.stop",
                        "name=" + name,
                        "filename=" + file),
                Map.of(),
                120);
        String samples = Processes.run(
                List.of(
                        JAVA_BIN.resolve("jfr").toString(),
                        "print",
                        "--events",
                        "jdk.ExecutionSample",
                        "--stack-depth",
                        "1",
                        file.toString()),
                Map.of(),
                300);
        return hottest(samples, top);
    }

    /** The top frame of each sample, counted: {@code stackTrace = [ frame line ... ]} in jfr's text output. */
    static List<String> hottest(String samples, int top) {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        String[] lines = samples.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].strip().equals("stackTrace = [")) {
                String frame = lines[i + 1].strip();
                int cut = frame.indexOf("line:");
                String method = (cut > 0 ? frame.substring(0, cut) : frame).strip();
                counts.merge(method, 1, Integer::sum);
                total++;
            }
        }
        int all = Math.max(1, total);
        List<String> hottest = new ArrayList<>();
        counts.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .limit(top)
                .forEach(e ->
                        hottest.add(String.format(Locale.ROOT, "%4.1f %% %s", 100.0 * e.getValue() / all, e.getKey())));
        hottest.add(String.format(Locale.ROOT, "(%d samples)", total));
        return hottest;
    }
}
