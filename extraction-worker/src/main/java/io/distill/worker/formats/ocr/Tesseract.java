package io.distill.worker.formats.ocr;

import io.distill.worker.formats.LimitExceededException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One run of the Tesseract command on an image file: its own process with one OpenMP thread,
 * stdin closed, its output written to a file (so waiting for the deadline never waits on a pipe),
 * and the whole process tree killed at the deadline or when the extraction is interrupted.
 */
public final class Tesseract {
    /** Text one recognition may print: far above any page. */
    private static final long MAX_OUTPUT_BYTES = 8L << 20;
    private final String command;
    private final String language;

    public Tesseract(String command, String language) {
        this.command = command;
        this.language = language;
    }

    public String recognise(Path image, Duration timeout) throws IOException {
        Path output = Files.createTempFile("distill-ocr-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command, image.toString(), "stdout", "-l", language, "--psm", "3")
                    .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            // unbounded OpenMP threads make parallel OCR many times slower (reliability notes, ICIJ datashare #2234)
            builder.environment().put("OMP_THREAD_LIMIT", "1");
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException(command + " is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)", e);
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
                throw new IOException("tesseract could not read the image (exit code " + process.exitValue() + ")");
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
