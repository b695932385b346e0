package io.distill.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CpuUseTest {

    @Test
    void aProcessStatLineGivesItsUserPlusSystemTime() {
        // proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (postgres: a (b) c) S 17 4242 4242 0 -1 4194560 300 0 0 0 125 40 0 0 20 0 1 0 99";
        assertEquals(165, CpuUse.parseTicks(stat));
    }

    @Test
    void aGroupWithChildrenHoldsTheParentAndEachChildProcess() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            long self = ProcessHandle.current().pid();
            Collection<Path> group = CpuUse.withChildren(self);
            assertTrue(group.contains(Path.of("/proc", String.valueOf(self), "stat")), group.toString());
            assertTrue(group.contains(Path.of("/proc", String.valueOf(child.pid()), "stat")), group.toString());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aWindowCountsANewIdFromZeroAndAnEndedOneNotAtAll() {
        Map<Long, Long> atStart = Map.of(1L, 100L, 2L, 50L);
        // 1 ran 30 ticks; 2 ended (its 50 must not be subtracted); 3 started and ran 7
        assertEquals(30 + 7, CpuUse.since(atStart, Map.of(1L, 130L, 3L, 7L)));
    }

    @Test
    void aJvmsThreadsAreFoundByTheNameTheKernelKeeps() throws Exception {
        long self = ProcessHandle.current().pid();
        Thread named = new Thread(
                () -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                    }
                },
                "bench-probe-thread-with-a-long-name");
        named.start();
        try {
            // the kernel cuts a thread's name to 15 characters; the new thread names itself once it runs
            await("the probe thread under its kernel name")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(
                            () -> CpuUse.threads(self, List.of("bench-probe-thr"))
                                    .size(),
                            n -> n == 1);
            assertTrue(CpuUse.threads(self, CpuUse.JIT_THREADS).size() >= 1, "a JVM has a compiler thread");
            assertTrue(CpuUse.threads(self, List.of("no such thread")).isEmpty());
            // a thread's own times: a sleeping thread uses next to nothing while this one spins
            CpuUse use = CpuUse.start(Map.of(
                    "sleeper", () -> CpuUse.threads(self, List.of("bench-probe-thr")),
                    "this JVM", () -> CpuUse.process(self)));
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            String note = use.stop();
            assertTrue(note.contains("sleeper 0.0"), note);
        } finally {
            named.interrupt();
            named.join();
        }
    }

    @Test
    void theMachineIsBusyInEveryStateButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(10 + 1 + 5 + 2 + 3 + 4, CpuUse.parseMachineBusy("cpu  10 1 5 1000 50 2 3 4 7 0"));
        assertEquals(4, CpuUse.parseMachineStolen("cpu  10 1 5 1000 50 2 3 4 7 0"));
        assertEquals(0, CpuUse.parseMachineStolen("cpu  10 1 5 1000"), "a kernel without the field");
    }

    @Test
    void aWindowOverThisProcessReportsEachGroupAndTheMachine() throws Exception {
        CpuUse use = CpuUse.start(
                Map.of("this JVM", () -> CpuUse.process(ProcessHandle.current().pid())));
        long until = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < until) {
            spin++;
        }
        String note = use.stop();
        assertTrue(spin > 0);
        assertTrue(
                note.matches("CPU in cores: this JVM \\d+\\.\\d\\d, whole machine \\d+\\.\\d\\d of \\d+"
                        + " \\(of which the host took \\d+\\.\\d\\d: steal\\)"),
                note);
        double thisJvm = Double.parseDouble(note.replaceAll(".*this JVM (\\d+\\.\\d\\d).*", "$1"));
        assertTrue(thisJvm > 0.1, "a thread spinning through the window shows as CPU use: " + note);
    }
}
