package io.distill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The summary of a {@code jfr print} of CPU samples: by top frame, by nearest Distill frame, by thread pool. */
@Timeout(30)
class ProfilerTest {

    private static final String SAMPLES = """
            jdk.ExecutionSample {
              startTime = 10:41:02.115 (2026-12-02)
              sampledThread = "vert.x-eventloop-thread-1" (javaThreadId = 41)
              state = "STATE_RUNNABLE"
              stackTrace = [
                io.netty.channel.epoll.Native.epollWait(int, long, int, int) line: 193
                io.distill.worker.progress.ProgressPublisher.publish(Progress) line: 60
              ]
            }

            jdk.ExecutionSample {
              startTime = 10:41:02.135 (2026-12-02)
              sampledThread = "vert.x-eventloop-thread-0" (javaThreadId = 40)
              state = "STATE_RUNNABLE"
              stackTrace = [
                io.netty.channel.epoll.Native.epollWait(int, long, int, int) line: 193
              ]
            }

            jdk.ExecutionSample {
              startTime = 10:41:02.155 (2026-12-02)
              sampledThread = "kafka-producer-network-thread | producer-1" (javaThreadId = 57)
              state = "STATE_RUNNABLE"
              stackTrace = [
                java.util.zip.CRC32C.update(byte[], int, int) line: 12
              ]
            }
            """;

    @Test
    void samplesAreCountedByFrameByDistillMethodAndByThreadPool() {
        List<String> summary = Profiler.hottest(SAMPLES, 5);

        assertEquals(
                List.of(
                        "66.7 % io.netty.channel.epoll.Native.epollWait(int, long, int, int)",
                        "33.3 % java.util.zip.CRC32C.update(byte[], int, int)",
                        "(3 samples; by the Distill method nearest the top:)",
                        "66.7 % (no Distill frame: framework threads)",
                        "33.3 % io.distill.worker.progress.ProgressPublisher.publish(Progress)",
                        "(by thread pool:)",
                        "66.7 % vert.x-eventloop-thread-#",
                        "33.3 % kafka-producer-network-thread | producer-#"),
                summary);
    }

    @Test
    void aThreadWithoutAQuotedNameIsStillCounted() {
        assertEquals("(unnamed thread)", Profiler.threadPool("sampledThread = N/A"));
        assertEquals("pool-#-thread-#", Profiler.threadPool("sampledThread = \"pool-12-thread-3\" (javaThreadId = 9)"));
    }
}
