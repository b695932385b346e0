package io.distill.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.testinfra.Ports;
import io.distill.testinfra.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps every benchmark from rotting: the suite {@code ./distill bench} runs, at its smoke size, as
 * a process of its own on the bench module's classpath, beside the other end-to-end classes. It
 * checks that each benchmark ran and reported a figure, never how fast.
 */
class BenchSuiteSmokeIT {
    private static final long MINUTES = 12;

    @Test
    @Timeout(value = MINUTES + 1, unit = TimeUnit.MINUTES)
    void everyBenchmarkRunsAndReports() throws Exception {
        Path root = ServiceProcess.root().toAbsolutePath().normalize();
        Path bench = root.resolve("bench/target");
        Path dir = Files.createDirectories(Path.of("target/bench-smoke").toAbsolutePath());
        Path json = dir.resolve("latest.json");
        Path md = dir.resolve("latest.md");
        Path log = dir.resolve("suite.log");
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Ddistill.root=" + root));
        command.add("-Ddistill.test.service-jvm-options=" + System.getProperty("distill.test.service-jvm-options", ""));
        // ports of a range no test fork uses (see Ports): the kernel's own picks can be taken by outgoing connections
        command.add("-Ddistill.test.fork=" + Ports.SPARE_FORK);
        command.addAll(List.of(
                "-cp",
                bench.resolve("classes") + ":"
                        + Files.readString(bench.resolve("runtime.classpath")).trim(),
                "io.distill.bench.Suite",
                "smoke",
                md.toString(),
                json.toString()));
        Process suite = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!suite.waitFor(MINUTES, TimeUnit.MINUTES)) {
            suite.destroyForcibly();
            throw new AssertionError("the smoke suite did not end in " + MINUTES + " minutes; " + tail(log));
        }
        assertEquals(0, suite.exitValue(), "the smoke suite failed; " + tail(log));

        JsonNode figures = Json.read(Files.readString(json), JsonNode.class).get("figures");
        Set<String> sections = new TreeSet<>();
        List<String> unmeasured = new ArrayList<>();
        List<String> peersUnmeasured = new ArrayList<>();
        for (JsonNode figure : figures) {
            String section = figure.get("section").asText();
            sections.add(section.replaceAll(" \\(.*", ""));
            if (!measured(figure.get("value")) || figure.get("value").asDouble() < 0) {
                unmeasured.add(section + " | " + figure.get("name").asText());
            }
            // a peer that cannot be installed is reported as such by the suite, but here it means the peer rotted
            if (section.startsWith("7. Peers")
                    && !figure.get("baseline").asText().isEmpty()
                    && !measured(figure.get("baselineValue"))) {
                peersUnmeasured.add(figure.get("name").asText());
            }
        }
        assertEquals(
                new TreeSet<>(Set.of(
                        "Baselines",
                        "1. Submit",
                        "2. Pipeline, no-op extractor",
                        "3. LLM-bound",
                        "4. Progress",
                        "5. Text extraction",
                        "6. Scale-out",
                        "7. Peers: job queues",
                        "7. Peers: text extraction")),
                sections);
        assertTrue(unmeasured.isEmpty(), "figures without a measurement: " + unmeasured);
        assertTrue(peersUnmeasured.isEmpty(), "peers without a measurement: " + peersUnmeasured);
        assertFalse(Files.readString(md).isBlank());
    }

    /** Jackson writes a NaN as the string "NaN": a number is a measurement, anything else is not. */
    private static boolean measured(JsonNode value) {
        return value != null && value.isNumber() && Double.isFinite(value.asDouble());
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return "last lines of " + log + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
