package io.distill.worker.formats.ocr;

import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One run of the Tesseract command on an image file: its own process with one OpenMP thread,
 * stdin closed, its output written to a file (so waiting for the deadline never waits on a pipe),
 * and the whole process tree killed at the deadline or when the extraction is interrupted.
 */
public final class Tesseract {
    /** Text one recognition may print: far above any page. */
    private static final long MAX_OUTPUT_BYTES = 8L << 20;

    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);
    private final String command;
    private volatile Set<String> installed;

    public Tesseract(String command) {
        this.command = command;
    }

    /** Refuses a language (or {@code a+b} combination) with a pack that is not installed, naming those that are. */
    public void requireLanguage(String language) throws IOException {
        Set<String> languages = installedLanguages();
        for (String one : language.split("\\+")) {
            if (!languages.contains(one)) {
                throw new InvalidDocumentException(
                        "OCR language '" + one + "' is not installed on this worker (installed: "
                                + String.join(", ", new TreeSet<>(languages)) + ")");
            }
        }
    }

    /** The language packs Tesseract has, asked once. */
    Set<String> installedLanguages() throws IOException {
        if (installed == null) {
            String listed = run(List.of(command, "--list-langs"), LIST_TIMEOUT, "listing its languages");
            // the first line names the directory; every other is one language
            installed = Set.copyOf(listed.lines()
                    .skip(1)
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList());
        }
        return installed;
    }

    public String recognise(Path image, String language, Duration timeout) throws IOException {
        return run(
                List.of(command, image.toString(), "stdout", "-l", language, "--psm", "3"),
                timeout,
                "reading the image");
    }

    private String run(List<String> arguments, Duration timeout, String what) throws IOException {
        Path output = Files.createTempFile("distill-ocr-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(arguments)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            // unbounded OpenMP threads make parallel OCR many times slower (reliability notes, ICIJ datashare #2234)
            builder.environment().put("OMP_THREAD_LIMIT", "1");
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException(
                        command + " is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)", e);
            }
            try {
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                    throw new LimitExceededException("OCR took longer than " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new LimitExceededException("OCR interrupted (time limit)");
            }
            if (process.exitValue() != 0) {
                throw new IOException("tesseract failed " + what + " (exit code " + process.exitValue() + ")");
            }
            if (Files.size(output) > MAX_OUTPUT_BYTES) {
                throw new LimitExceededException("OCR printed more than " + MAX_OUTPUT_BYTES + " bytes");
            }
            return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
