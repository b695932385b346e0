package io.distill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps every benchmark of the suite from rotting: the whole suite at a tiny size, on the real
 * stack. It checks that each benchmark ran and reported a figure, never how fast.
 */
class BenchSuiteSmokeIT {

    @Test
    void everyBenchmarkRunsAndReports() throws Exception {
        Report report = Suite.run(Suite.SMOKE);
        Path md = Path.of("target/bench-smoke.md");
        report.write(md, Path.of("target/bench-smoke.json"));

        Set<String> sections = report.figures().stream()
                .map(f -> f.section().replaceAll(" \\(.*", ""))
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "Baselines",
                        "1. Submit",
                        "2. Pipeline, no-op extractor",
                        "3. LLM-bound",
                        "4. Progress",
                        "5. Text extraction",
                        "6. Scale-out",
                        "7. Peers: job queues",
                        "7. Peers: text extraction"),
                sections);
        List<Report.Figure> unmeasured = report.figures().stream()
                .filter(f -> Double.isNaN(f.value()) || f.value() < 0)
                .toList();
        assertTrue(unmeasured.isEmpty(), "figures without a measurement: " + unmeasured);
        // a peer that cannot be installed is reported as such by the suite, but here it means the peer rotted
        List<Report.Figure> peersUnmeasured = report.figures().stream()
                .filter(f -> f.section().startsWith("7. Peers")
                        && !f.baseline().isEmpty()
                        && Double.isNaN(f.baselineValue()))
                .toList();
        assertTrue(peersUnmeasured.isEmpty(), "peers without a measurement: " + peersUnmeasured);
        assertFalse(Files.readString(md).isBlank());
    }
}
