package io.distill.worker.formats.image;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import io.distill.worker.formats.ocr.Ocr;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG, JPEG and TIFF (multi-page too) through OCR. The image headers are read first, never the
 * pixels: a file that claims more pages or pixels than the limits allow fails before Tesseract
 * allocates anything for it.
 */
@ApplicationScoped
public class ImageExtractor implements FormatExtractor {
    private final Ocr ocr;

    public ImageExtractor(Ocr ocr) {
        this.ocr = ocr;
    }

    @Override
    public Set<String> formats() {
        return Set.of("image");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        if (!limits.ocrEnabled()) {
            throw new InvalidDocumentException(
                    "an image has no text layer and OCR is off (distill.formats.ocr-enabled or option ocr)");
        }
        try (Source.LocalFile local = source.localFile(".img")) {
            Path file = local.path();
            Map<String, Object> metadata = inspect(file, limits);
            int pages = (int) metadata.get("pages");
            String recognised = ocr.document(file, limits.options().ocrLanguage())
                    .image(file, limits.ocrPageTimeout().multipliedBy(pages));
            TextBuilder text = new TextBuilder(limits.maxTextChars());
            String[] pageTexts = recognised.split("\f");
            for (int page = 0; page < pageTexts.length; page++) {
                text.section(page + 1, "page-ocr", pageTexts[page]);
            }
            metadata.put("ocrPages", pages);
            return text.build("image", metadata);
        }
    }

    private static Map<String, Object> inspect(Path file, ExtractionLimits limits) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidDocumentException("unreadable image: not a PNG, JPEG or TIFF Distill can decode");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                int pages = reader.getNumImages(true);
                if (pages < 1) {
                    throw new InvalidDocumentException("the image file holds no image");
                }
                if (pages > limits.maxPdfPages()) {
                    throw new LimitExceededException(
                            "the image has " + pages + " pages; the limit is " + limits.maxPdfPages());
                }
                long pixels = 0;
                for (int page = 0; page < pages; page++) {
                    pixels = Math.max(pixels, (long) reader.getWidth(page) * reader.getHeight(page));
                }
                if (pixels > limits.maxImagePixels()) {
                    throw new LimitExceededException(
                            "an image page has " + pixels + " pixels; the limit is " + limits.maxImagePixels());
                }
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("imageFormat", reader.getFormatName().toLowerCase(java.util.Locale.ROOT));
                metadata.put("width", reader.getWidth(0));
                metadata.put("height", reader.getHeight(0));
                metadata.put("pages", pages);
                return metadata;
            } catch (IOException | RuntimeException e) {
                if (e instanceof LimitExceededException || e instanceof InvalidDocumentException) {
                    throw e;
                }
                throw new InvalidDocumentException("unreadable image: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }
}
