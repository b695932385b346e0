package io.distill.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cores each process group used over a measured window, from {@code /proc} (user + system
 * time), and the whole machine's from {@code /proc/stat}: what bound a figure, where the JFR profile
 * of one process cannot say (its sample count is no CPU measure).
 */
final class CpuUse {
    /** The kernel's unit for /proc times (USER_HZ), 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Supplier<Collection<Path>>> groups;
    private final Map<String, Map<Path, Long>> startTicks = new LinkedHashMap<>();
    private long startMachineBusy;
    private long startMachineStolen;
    private long startNanos;

    private CpuUse(Map<String, Supplier<Collection<Path>>> groups) {
        this.groups = groups;
    }

    /**
     * Starts a window over the named groups of processes or threads (each a supplier of their {@code stat} files,
     * read at start and at stop).
     */
    static CpuUse start(Map<String, Supplier<Collection<Path>>> groups) {
        CpuUse use = new CpuUse(groups);
        use.groups.forEach((name, stats) -> use.startTicks.put(name, ticks(stats.get())));
        String machine = machineCpuLine();
        use.startMachineBusy = parseMachineBusy(machine);
        use.startMachineStolen = parseMachineStolen(machine);
        use.startNanos = System.nanoTime();
        return use;
    }

    /** A warm-up's end: the service's JIT compiler under this share of a core over the last round. */
    static final double JIT_SETTLED_CORES = 0.1;

    /** One round of a warm-up (the first is round 1). */
    @FunctionalInterface
    interface WarmUpRound {
        void run(int round) throws Exception;
    }

    /**
     * Rounds of a warm-up, one after the other, until the JIT compiler of the process {@code pid} used under
     * {@link #JIT_SETTLED_CORES} over the last (or {@code mostRounds} of them): on two cores the JIT of a worker at
     * C = 256 took 0.51 / 0.25 / 0.23 / 0.13 of a core over four in a row, and what a long-lived process no longer
     * pays is no part of its figures. Returns the JIT's share of a core over each round, for the note.
     */
    static List<String> untilJitSettles(long pid, int mostRounds, WarmUpRound round) throws Exception {
        List<String> jit = new ArrayList<>();
        for (int r = 1; r <= mostRounds; r++) {
            CpuUse cpu = start(Map.of("JIT", () -> threads(pid, JIT_THREADS)));
            round.run(r);
            double cores = cpu.stopCores().get("JIT");
            jit.add(String.format(Locale.ROOT, "%.2f", cores));
            if (cores < JIT_SETTLED_CORES) {
                break;
            }
        }
        return jit;
    }

    /** "CPU in cores: api 0.65, PostgreSQL 1.07, whole machine 1.95 of 2 (of which the host took 0.02: steal)". */
    String stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        List<String> parts = new ArrayList<>();
        stopCores(seconds).forEach((name, cores) -> parts.add(String.format(Locale.ROOT, "%s %.2f", name, cores)));
        String machine = machineCpuLine();
        parts.add(String.format(
                Locale.ROOT,
                "whole machine %.2f of %d (of which the host took %.2f: steal)",
                (parseMachineBusy(machine) - startMachineBusy) / TICKS_PER_SECOND / seconds,
                Runtime.getRuntime().availableProcessors(),
                (parseMachineStolen(machine) - startMachineStolen) / TICKS_PER_SECOND / seconds));
        return "CPU in cores: " + String.join(", ", parts);
    }

    /** The cores each group used since the start. */
    Map<String, Double> stopCores() {
        return stopCores((System.nanoTime() - startNanos) / 1e9);
    }

    private Map<String, Double> stopCores(double seconds) {
        Map<String, Double> cores = new LinkedHashMap<>();
        groups.forEach((name, stats) ->
                cores.put(name, since(startTicks.get(name), ticks(stats.get())) / TICKS_PER_SECOND / seconds));
        return cores;
    }

    /** A process. */
    static Collection<Path> process(long pid) {
        return List.of(stat(pid));
    }

    /** A process and its children (PostgreSQL: the postmaster and its backends). */
    static Collection<Path> withChildren(long parent) {
        List<Path> stats = new ArrayList<>(List.of(stat(parent)));
        ProcessHandle.of(parent).stream()
                .flatMap(ProcessHandle::children)
                .forEach(child -> stats.add(stat(child.pid())));
        return stats;
    }

    private static Path stat(long pid) {
        return Path.of("/proc", String.valueOf(pid), "stat");
    }

    /**
     * The threads of a JVM whose name (as the kernel keeps it, cut to 15 characters) starts with one of the
     * prefixes: e.g. its JIT compiler ("C1 CompilerThre", "C2 CompilerThre") or its garbage collector.
     * A thread's times are in /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat (/proc/&lt;tid&gt;/stat holds its process's).
     */
    static Collection<Path> threads(long pid, List<String> namePrefixes) {
        List<Path> stats = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (namePrefixes.stream().anyMatch(name::startsWith)) {
                        stats.add(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while listed
                }
            });
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return stats;
    }

    /** HotSpot's compiler threads. */
    static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

    /** HotSpot's collector threads (G1's and the serial and parallel collectors' workers) and the VM thread. */
    static final List<String> GC_THREADS = List.of("GC Thread", "G1 ", "VM Thread");

    /** Each process's (or thread's) ticks by its stat file. */
    private static Map<Path, Long> ticks(Collection<Path> stats) {
        Map<Path, Long> byStat = new LinkedHashMap<>();
        for (Path stat : stats) {
            byStat.put(stat, ticks(stat));
        }
        return byStat;
    }

    /**
     * The ticks spent in the window, process by process (or thread by thread): one that started in it counts from
     * zero, one that ended in it counts nothing (its last ticks are gone with it; a plain difference of sums would go
     * negative).
     */
    static <K> long since(Map<K, Long> atStart, Map<K, Long> atStop) {
        long sum = 0;
        for (Map.Entry<K, Long> now : atStop.entrySet()) {
            sum += Math.max(0, now.getValue() - atStart.getOrDefault(now.getKey(), 0L));
        }
        return sum;
    }

    /** utime + stime of a process or thread, 0 when it is gone. */
    private static long ticks(Path stat) {
        try {
            return parseTicks(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The fields after the command name, which is in parentheses and may itself hold spaces and parentheses. */
    static long parseTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is the state (field 3 of proc(5)): utime is field 14, stime 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The first line of /proc/stat (all CPUs), or none where there is no /proc: the machine then counts nothing. */
    private static String machineCpuLine() {
        try {
            return Files.readAllLines(Path.of("/proc/stat")).get(0);
        } catch (IOException | RuntimeException e) {
            return "cpu";
        }
    }

    /**
     * The ticks the hypervisor ran something else while this machine had work ({@code steal}, the 8th
     * field): part of "busy", and a noisy neighbour's, not the figure's.
     */
    static long parseMachineStolen(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        return f.length > 8 ? Long.parseLong(f[8]) : 0;
    }

    /** The first line of /proc/stat, all CPUs: every state but idle and iowait. */
    static long parseMachineBusy(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }
}
