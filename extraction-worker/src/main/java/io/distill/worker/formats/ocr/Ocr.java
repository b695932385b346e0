package io.distill.worker.formats.ocr;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * OCR of scanned PDF pages and images with {@link Tesseract}, cached in PostgreSQL by the file's
 * SHA-256 and the page, so a retried or re-submitted document is not OCRed again.
 */
@ApplicationScoped
public class Ocr {
    static final int DPI = 300;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;
    private final Tesseract tesseract;

    @Inject
    public Ocr(Pool pool, @ConfigProperty(name = "distill.ocr.command", defaultValue = "tesseract") String command,
               @ConfigProperty(name = "distill.ocr.language", defaultValue = "eng") String language) {
        this.pool = pool;
        this.tesseract = new Tesseract(command, language);
    }

    /** Tesseract from the PATH, English; without a pool (benchmarks, tools) nothing is cached. */
    public Ocr(Pool pool) {
        this(pool, "tesseract", "eng");
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

        /** One PDF page, rendered at 300 dpi in grey. */
        public String page(PDDocument pdf, int pageIndex, Duration timeout) throws IOException {
            return cached(pageIndex, () -> {
                Path image = Files.createTempFile("distill-ocr-", ".png");
                try {
                    ImageIO.write(new PDFRenderer(pdf).renderImageWithDPI(pageIndex, DPI, ImageType.GRAY), "png", image.toFile());
                    return tesseract.recognise(image, timeout);
                } finally {
                    Files.deleteIfExists(image);
                }
            });
        }

        /** An image file as it is (Tesseract reads PNG, JPEG and multi-page TIFF); pages are separated by form feeds. */
        public String image(Path image, Duration timeout) throws IOException {
            return cached(0, () -> tesseract.recognise(image, timeout));
        }

        private String cached(int page, Recognition recognition) throws IOException {
            if (pool == null) {
                return recognition.run();
            }
            var cached = pool.preparedQuery("select text from ocr_cache where file_sha256 = $1 and page = $2")
                    .execute(Tuple.of(hash, page)).await().atMost(DB_TIMEOUT);
            if (cached.rowCount() == 1) {
                return cached.iterator().next().getString("text");
            }
            String text = recognition.run();
            pool.preparedQuery("insert into ocr_cache (file_sha256, page, text) values ($1, $2, $3) on conflict do nothing")
                    .execute(Tuple.of(hash, page, text)).await().atMost(DB_TIMEOUT);
            return text;
        }
    }

    private interface Recognition {
        String run() throws IOException;
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
