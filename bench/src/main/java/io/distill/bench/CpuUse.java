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

    private final Map<String, Supplier<Collection<Long>>> groups;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private long startMachineBusy;
    private long startNanos;

    private CpuUse(Map<String, Supplier<Collection<Long>>> groups) {
        this.groups = groups;
    }

    /** Starts a window over the named groups of processes (each a supplier of pids, read at start and at stop). */
    static CpuUse start(Map<String, Supplier<Collection<Long>>> groups) {
        CpuUse use = new CpuUse(groups);
        use.groups.forEach((name, pids) -> use.startTicks.put(name, ticks(pids.get())));
        use.startMachineBusy = machineBusyTicks();
        use.startNanos = System.nanoTime();
        return use;
    }

    /** "CPU in cores: api 0.65, PostgreSQL 1.07, whole machine 1.95 of 2". */
    String stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        List<String> parts = new ArrayList<>();
        groups.forEach((name, pids) -> parts.add(String.format(
                Locale.ROOT,
                "%s %.2f",
                name,
                (ticks(pids.get()) - startTicks.get(name)) / TICKS_PER_SECOND / seconds)));
        parts.add(String.format(
                Locale.ROOT,
                "whole machine %.2f of %d",
                (machineBusyTicks() - startMachineBusy) / TICKS_PER_SECOND / seconds,
                Runtime.getRuntime().availableProcessors()));
        return "CPU in cores: " + String.join(", ", parts);
    }

    /** A process and its children (PostgreSQL: the postmaster and its backends). */
    static Collection<Long> withChildren(long parent) {
        List<Long> pids = new ArrayList<>(List.of(parent));
        ProcessHandle.of(parent).stream().flatMap(ProcessHandle::children).forEach(child -> pids.add(child.pid()));
        return pids;
    }

    private static long ticks(Collection<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += ticks(pid);
        }
        return sum;
    }

    /** utime + stime of a process, 0 when it is gone. */
    private static long ticks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
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

    private static long machineBusyTicks() {
        try {
            return parseMachineBusy(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
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
