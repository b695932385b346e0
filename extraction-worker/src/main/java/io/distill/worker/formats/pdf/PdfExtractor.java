package io.distill.worker.formats.pdf;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * PDF with PDFBox: the text layer page by page; a page without one (a scan) goes to OCR. Encrypted
 * and corrupt files fail as validation errors; the page count and the decompressed size of content
 * streams are capped, and PDFBox caches decoded streams in temporary files, not the heap.
 */
@ApplicationScoped
public class PdfExtractor implements FormatExtractor {
    /** A page with fewer characters than this in its text layer is treated as a scan. */
    static final int MIN_TEXT_LAYER_CHARS = 3;

    private final Ocr ocr;

    public PdfExtractor(Ocr ocr) {
        this.ocr = ocr;
    }

    @Override
    public Set<String> formats() {
        return Set.of("pdf");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        Path file = source.file();
        Path copy = null;
        if (file == null) {
            copy = Files.createTempFile("distill-pdf-", ".pdf");
            try (var in = source.open()) {
                Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            file = copy;
        }
        try (PDDocument pdf = load(file)) {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new InvalidDocumentException("the PDF is encrypted and does not permit text extraction");
            }
            int pages = pdf.getNumberOfPages();
            if (pages > limits.maxPdfPages()) {
                throw new LimitExceededException("the PDF has " + pages + " pages; the limit is " + limits.maxPdfPages());
            }
            checkContentStreams(pdf, limits.maxPdfStreamBytes());
            Ocr.Document scans = ocr.document(file);
            TextBuilder text = new TextBuilder(limits.maxTextChars());
            PDFTextStripper stripper = new PDFTextStripper();
            int ocrPages = 0;
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String layer = stripper.getText(pdf);
                if (layer.strip().length() < MIN_TEXT_LAYER_CHARS && limits.ocrEnabled()) {
                    text.section(page, "page-ocr", scans.page(pdf, page - 1, limits.ocrPageTimeout()));
                    ocrPages++;
                } else {
                    text.section(page, "page", layer);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new LimitExceededException("extraction interrupted (time limit)");
                }
            }
            PDDocumentInformation info = pdf.getDocumentInformation();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("pages", pages);
            metadata.put("ocrPages", ocrPages);
            metadata.put("title", info.getTitle() == null ? "" : info.getTitle());
            metadata.put("author", info.getAuthor() == null ? "" : info.getAuthor());
            metadata.put("producer", info.getProducer() == null ? "" : info.getProducer());
            metadata.put("encrypted", pdf.isEncrypted());
            return text.build("pdf", metadata);
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /**
     * Decompresses each page's content streams once, counting, before the text stripper parses them:
     * a "zip bomb" stream (megabytes that inflate to gigabytes) fails here as a validation error.
     */
    static void checkContentStreams(PDDocument pdf, long maxBytes) throws IOException {
        for (PDPage page : pdf.getPages()) {
            var streams = page.getContentStreams();
            while (streams.hasNext()) {
                try (InputStream in = streams.next().createInputStream()) {
                    long total = 0;
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > maxBytes) {
                            throw new LimitExceededException("a PDF content stream decompresses to more than " + maxBytes + " bytes");
                        }
                    }
                }
            }
        }
    }

    private static PDDocument load(Path file) {
        try {
            return Loader.loadPDF(file.toFile(), "", null, null, IOUtils.createTempFileOnlyStreamCache());
        } catch (InvalidPasswordException e) {
            throw new InvalidDocumentException("the PDF is encrypted with a password");
        } catch (IOException e) {
            throw new InvalidDocumentException("the PDF is corrupt or truncated: " + e.getMessage(), e);
        }
    }
}
