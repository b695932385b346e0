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

    /**
     * Stops the recording and returns its {@code top} hottest methods, as "share % method" lines, then the
     * {@code top} Distill methods nearest the top of the sampled stacks (what a flat library profile was working for).
     */
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
                        "96",
                        file.toString()),
                Map.of(),
                300);
        return hottest(samples, top);
    }

    /**
     * The top frame of each sample, counted; then the topmost {@code io.distill} frame of each; then the
     * sampled thread's pool (its name without the trailing number), which names the framework threads.
     */
    static List<String> hottest(String samples, int top) {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> distillFrames = new HashMap<>();
        Map<String, Integer> threadPools = new HashMap<>();
        String thread = "(unknown thread)";
        int total = 0;
        String[] lines = samples.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i].strip();
            if (line.startsWith("sampledThread = ")) {
                thread = threadPool(line);
                continue;
            }
            if (!line.equals("stackTrace = [")) {
                continue;
            }
            total++;
            threadPools.merge(thread, 1, Integer::sum);
            topFrames.merge(method(lines[i + 1]), 1, Integer::sum);
            String distill = "(no Distill frame: framework threads)";
            for (int j = i + 1; j < lines.length && !lines[j].strip().equals("]"); j++) {
                if (lines[j].strip().startsWith("io.distill.")) {
                    distill = method(lines[j]);
                    break;
                }
            }
            distillFrames.merge(distill, 1, Integer::sum);
        }
        List<String> hottest = new ArrayList<>(shares(topFrames, total, top));
        hottest.add(String.format(Locale.ROOT, "(%d samples; by the Distill method nearest the top:)", total));
        hottest.addAll(shares(distillFrames, total, top));
        hottest.add("(by thread pool:)");
        hottest.addAll(shares(threadPools, total, top));
        return hottest;
    }

    /** {@code sampledThread = "vert.x-eventloop-thread-3" (javaThreadId = 41)} → {@code vert.x-eventloop-thread-#}. */
    static String threadPool(String sampledThread) {
        int open = sampledThread.indexOf('"');
        int close = sampledThread.lastIndexOf('"');
        if (open < 0 || close <= open) {
            return "(unnamed thread)";
        }
        return sampledThread.substring(open + 1, close).replaceAll("\\d+", "#");
    }

    private static String method(String frame) {
        String line = frame.strip();
        int cut = line.indexOf("line:");
        return (cut > 0 ? line.substring(0, cut) : line).strip();
    }

    private static List<String> shares(Map<String, Integer> counts, int total, int top) {
        int all = Math.max(1, total);
        return counts.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .limit(top)
                .map(e -> String.format(Locale.ROOT, "%4.1f %% %s", 100.0 * e.getValue() / all, e.getKey()))
                .toList();
    }
}
