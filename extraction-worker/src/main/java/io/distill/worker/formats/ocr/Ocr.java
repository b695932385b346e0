package io.distill.worker.formats.ocr;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OCR of scanned PDF pages and images with {@link Tesseract}, cached in PostgreSQL by the file's
 * SHA-256, the page and the language, so a retried or re-submitted document is not OCRed again.
 * The language is the job's {@code ocrLanguage} option, else {@code distill.ocr.language}.
 */
@ApplicationScoped
public class Ocr {
    static final int DPI = 300;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;
    private final Tesseract tesseract;
    private final String defaultLanguage;

    @Inject
    public Ocr(
            Pool pool,
            @ConfigProperty(name = "distill.ocr.command", defaultValue = "tesseract") String command,
            @ConfigProperty(name = "distill.ocr.language", defaultValue = "eng") String language) {
        this.pool = pool;
        this.tesseract = new Tesseract(command);
        this.defaultLanguage = language;
    }

    /** Tesseract from the PATH, English; without a pool (benchmarks, tools) nothing is cached. */
    public Ocr(Pool pool) {
        this(pool, "tesseract", "eng");
    }

    /** The OCR context of one file in the default language. */
    public Document document(Path file) {
        return document(file, null);
    }

    /** The OCR context of one file, read in {@code language} (null: the default); nothing is read or run until a page is asked for. */
    public Document document(Path file, String language) {
        return new Document(file, language == null ? defaultLanguage : language);
    }

    public final class Document {
        private final Path file;
        private final String language;
        private String hash;

        Document(Path file, String language) {
            this.file = file;
            this.language = language;
        }

        /** One PDF page, rendered at 300 dpi in grey. */
        public String page(PDDocument pdf, int pageIndex, Duration timeout) throws IOException {
            return cached(pageIndex, () -> {
                Path image = Files.createTempFile("distill-ocr-", ".png");
                try {
                    ImageIO.write(
                            new PDFRenderer(pdf).renderImageWithDPI(pageIndex, DPI, ImageType.GRAY),
                            "png",
                            image.toFile());
                    return tesseract.recognise(image, language, timeout);
                } finally {
                    Files.deleteIfExists(image);
                }
            });
        }

        /** An image file as it is (Tesseract reads PNG, JPEG and multi-page TIFF); pages are separated by form feeds. */
        public String image(Path image, Duration timeout) throws IOException {
            return cached(0, () -> tesseract.recognise(image, language, timeout));
        }

        private String cached(int page, Recognition recognition) throws IOException {
            tesseract.requireLanguage(language);
            if (pool == null) {
                return recognition.run();
            }
            if (hash == null) {
                hash = sha256(file); // once per file, and only for files that need OCR
            }
            var cached = pool.preparedQuery(
                            "select text from ocr_cache where file_sha256 = $1 and page = $2 and language = $3")
                    .execute(Tuple.of(hash, page, language))
                    .await()
                    .atMost(DB_TIMEOUT);
            if (cached.rowCount() == 1) {
                return cached.iterator().next().getString("text");
            }
            String text = recognition.run();
            pool.preparedQuery(
                            "insert into ocr_cache (file_sha256, page, language, text) values ($1, $2, $3, $4) on conflict do nothing")
                    .execute(Tuple.of(hash, page, language, text))
                    .await()
                    .atMost(DB_TIMEOUT);
            return text;
        }
    }

    private interface Recognition {
        String run() throws IOException;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
