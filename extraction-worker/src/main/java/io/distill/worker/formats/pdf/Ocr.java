package io.distill.worker.formats.pdf;

import io.distill.worker.formats.LimitExceededException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * OCR of scanned PDF pages with Tesseract (the Debian package, run as a process with a time limit
 * and one thread), cached in PostgreSQL by the file's SHA-256 and the page, so a retried or
 * re-submitted document is not OCRed again.
 */
@ApplicationScoped
public class Ocr {
    static final int DPI = 300;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;

    public Ocr(Pool pool) {
        this.pool = pool;
    }

    /** The OCR context of one file (its content hash computed once). */
    public Document document(Path file) throws IOException {
        return new Document(sha256(file));
    }

    public final class Document {
        private final String hash;

        Document(String hash) {
            this.hash = hash;
        }

        public String page(PDDocument pdf, int pageIndex, Duration timeout) throws IOException {
            if (pool == null) {
                // no database (benchmarks, tools): no cache
                return recognise(pdf, pageIndex, timeout);
            }
            var cached = pool.preparedQuery("select text from ocr_cache where file_sha256 = $1 and page = $2")
                    .execute(Tuple.of(hash, pageIndex)).await().atMost(DB_TIMEOUT);
            if (cached.rowCount() == 1) {
                return cached.iterator().next().getString("text");
            }
            String text = recognise(pdf, pageIndex, timeout);
            pool.preparedQuery("insert into ocr_cache (file_sha256, page, text) values ($1, $2, $3) on conflict do nothing")
                    .execute(Tuple.of(hash, pageIndex, text)).await().atMost(DB_TIMEOUT);
            return text;
        }
    }

    private static String recognise(PDDocument pdf, int pageIndex, Duration timeout) throws IOException {
        Path image = Files.createTempFile("distill-ocr-", ".png");
        try {
            ImageIO.write(new PDFRenderer(pdf).renderImageWithDPI(pageIndex, DPI, ImageType.GRAY), "png", image.toFile());
            ProcessBuilder tesseract = new ProcessBuilder("tesseract", image.toString(), "stdout", "-l", "eng", "--psm", "3")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            tesseract.environment().put("OMP_THREAD_LIMIT", "1");
            Process process;
            try {
                process = tesseract.start();
            } catch (IOException e) {
                throw new IOException("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)", e);
            }
            byte[] out;
            try (InputStream stdout = process.getInputStream()) {
                out = stdout.readAllBytes();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new LimitExceededException("OCR of page " + (pageIndex + 1) + " took longer than " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new LimitExceededException("OCR interrupted (time limit)");
            }
            if (process.exitValue() != 0) {
                throw new IOException("tesseract failed with exit code " + process.exitValue());
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(image);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
