package io.distill.worker.formats.ocr;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.worker.formats.LimitExceededException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recogniser that ignores its input and never ends (a hostile image can make Tesseract do
 * that) must not hold the extraction thread past its deadline, nor survive it.
 */
@Timeout(30)
class TesseractTest {
    @TempDir
    Path dir;

    private Path pidFile;
    private Tesseract hanging;

    @BeforeEach
    void hangingRecogniser() throws Exception {
        pidFile = dir.resolve("child.pid");
        Path script = dir.resolve("tesseract");
        // a child that outlives its parent unless the whole tree is killed
        Files.writeString(script, "#!/bin/sh\nsleep 600 &\necho $! > " + pidFile + "\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        hanging = new Tesseract(script.toString());
    }

    @AfterEach
    void noRecogniserSurvives() throws Exception {
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void theDeadlineKillsTheProcessTree() throws Exception {
        Path image = Files.write(dir.resolve("page.png"), new byte[] {1, 2, 3});
        long t0 = System.nanoTime();
        LimitExceededException e = assertThrows(
                LimitExceededException.class, () -> hanging.recognise(image, "eng", Duration.ofSeconds(1)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 3_000, "returned after " + millis + " ms");
        assertTrue(e.getMessage().contains("longer than 1 s"), e.getMessage());
    }

    @Test
    void interruptingTheExtractionKillsTheProcessTreeAtOnce() throws Exception {
        Path image = Files.write(dir.resolve("page.png"), new byte[] {1, 2, 3});
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<String> ocr = thread.submit(() -> hanging.recognise(image, "eng", Duration.ofMinutes(10)));
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            long t0 = System.nanoTime();
            ocr.cancel(true); // what the stage executor does at the stage's deadline
            thread.shutdown();
            assertTrue(thread.awaitTermination(3, TimeUnit.SECONDS), "the extraction thread is free again");
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 3_000);
        } finally {
            thread.shutdownNow();
        }
    }
}
