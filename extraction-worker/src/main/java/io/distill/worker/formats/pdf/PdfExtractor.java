package io.distill.worker.formats.pdf;

import io.distill.model.jobs.JobOptions;
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
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTerminalField;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF with PDFBox: the text layer page by page; a page without one (a scan) goes to OCR (JBIG2
 * scans decode with PDFBox's jbig2-imageio). A file that opens without a password is read, whatever
 * its permission flags say ("no copy" restricts viewers, and every common extractor reads such
 * files); one that needs a password, or is corrupt, fails as a validation error. The page count and
 * the decompressed size of content streams are capped, and PDFBox caches decoded streams in
 * temporary files, not the heap.
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
        // closed in reverse order: the document before its temporary copy is deleted
        try (Source.LocalFile local = source.localFile(".pdf");
                PDDocument pdf = load(local.path())) {
            Path file = local.path();
            int pages = pdf.getNumberOfPages();
            if (pages > limits.maxPdfPages()) {
                throw new LimitExceededException(
                        "the PDF has " + pages + " pages; the limit is " + limits.maxPdfPages());
            }
            checkContentStreams(pdf, limits.maxPdfStreamBytes());
            JobOptions options = limits.options();
            Ocr.Document scans = ocr.document(file, options.ocrLanguage());
            TextBuilder text = new TextBuilder(limits.maxTextChars());
            PDFTextStripper stripper = new PageTextStripper();
            int ocrPages = 0;
            int read = 0;
            for (int page = 1; page <= pages; page++) {
                if (!options.readsPage(page)) {
                    continue;
                }
                read++;
                boolean forced = options.ocr() == JobOptions.Ocr.FORCE && limits.ocrEnabled();
                String layer = forced ? "" : pageText(stripper, pdf, page);
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
            if (read == 0) {
                throw new InvalidDocumentException(
                        "option pages: the PDF has " + pages + " pages, none of them selected");
            }
            text.section(pages, "form", formFields(pdf));
            PDDocumentInformation info = pdf.getDocumentInformation();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("pages", pages);
            metadata.put("ocrPages", ocrPages);
            if (read < pages) {
                metadata.put("pagesRead", read);
            }
            metadata.put("title", info.getTitle() == null ? "" : info.getTitle());
            metadata.put("author", info.getAuthor() == null ? "" : info.getAuthor());
            metadata.put("producer", info.getProducer() == null ? "" : info.getProducer());
            metadata.put("encrypted", pdf.isEncrypted());
            return text.build("pdf", metadata);
        }
    }

    /**
     * One page's text layer in content order, which keeps columns apart. Text drawn rotated or
     * vertical comes out one fragment per line that way; such a page is read again sorted by
     * position, which groups characters by their direction first.
     */
    static String pageText(PDFTextStripper stripper, PDDocument pdf, int page) throws IOException {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        stripper.setSortByPosition(false);
        String text = stripper.getText(pdf);
        if (!fragmented(text)) {
            return text;
        }
        stripper.setSortByPosition(true);
        String sorted = stripper.getText(pdf);
        stripper.setSortByPosition(false);
        return fragmented(sorted) ? text : sorted;
    }

    /** Many lines of one to three characters: the mark of text read across its direction. */
    public static boolean fragmented(String text) {
        int lines = 0;
        int chars = 0;
        for (String line : text.split("\n")) {
            String content = line.strip();
            if (!content.isEmpty()) {
                lines++;
                chars += content.length();
            }
        }
        return lines >= 20 && chars < 4 * lines;
    }

    /** Filled-in form fields (AcroForm), "name: value", which the page text does not hold. */
    static String formFields(PDDocument pdf) {
        PDAcroForm form = pdf.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            return "";
        }
        StringBuilder fields = new StringBuilder();
        for (PDField field : form.getFieldTree()) {
            if (field instanceof PDTerminalField && !(field instanceof PDSignatureField)) {
                String value = field.getValueAsString();
                if (value != null && !value.isBlank() && !value.equals("Off")) {
                    String name = field.getAlternateFieldName() != null
                                    && !field.getAlternateFieldName().isBlank()
                            ? field.getAlternateFieldName()
                            : field.getPartialName();
                    fields.append(name == null ? "" : name.strip())
                            .append(": ")
                            .append(value.strip())
                            .append('\n');
                }
            }
        }
        return fields.toString();
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
                            throw new LimitExceededException(
                                    "a PDF content stream decompresses to more than " + maxBytes + " bytes");
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
