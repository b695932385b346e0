package io.distill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            Collection<Long> group = CpuUse.withChildren(self);
            assertTrue(group.contains(self), group.toString());
            assertTrue(group.contains(child.pid()), group.toString());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theMachineIsBusyInEveryStateButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(10 + 1 + 5 + 2 + 3 + 4, CpuUse.parseMachineBusy("cpu  10 1 5 1000 50 2 3 4 7 0"));
    }

    @Test
    void aWindowOverThisProcessReportsEachGroupAndTheMachine() throws Exception {
        CpuUse use = CpuUse.start(
                Map.of("this JVM", () -> List.of(ProcessHandle.current().pid())));
        long until = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < until) {
            spin++;
        }
        String note = use.stop();
        assertTrue(spin > 0);
        assertTrue(note.matches("CPU in cores: this JVM \\d+\\.\\d\\d, whole machine \\d+\\.\\d\\d of \\d+"), note);
        double thisJvm = Double.parseDouble(note.replaceAll(".*this JVM (\\d+\\.\\d\\d).*", "$1"));
        assertTrue(thisJvm > 0.1, "a thread spinning through the window shows as CPU use: " + note);
    }
}
