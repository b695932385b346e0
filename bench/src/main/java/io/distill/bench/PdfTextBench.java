package io.distill.bench;

import io.distill.model.Json;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.ocr.Ocr;
import io.distill.worker.formats.pdf.PdfExtractor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF pages per second of Distill's TEXT_EXTRACT (the PdfExtractor: per-page text, content hash for
 * the OCR cache, sections and limits) next to plain PDFBox text extraction of the same corpus, in
 * the same run, one thread each. A benchmark: it measures and reports, it asserts nothing.
 * <p>{@code java -cp … io.distill.bench.PdfTextBench [documents] [pagesPerDocument] [rounds] [report.md]}:
 * the report, then the result as one line of JSON.
 */
public final class PdfTextBench {

    public record Result(int documents, int pages, double pdfboxPagesPerSecond, double distillPagesPerSecond) {
        public double ratio() {
            return distillPagesPerSecond / pdfboxPagesPerSecond;
        }

        public String markdown() {
            return String.format(
                    Locale.ROOT, """
                    | measurement | pages/s (1 thread) |
                    |---|---|
                    | plain PDFBox `PDFTextStripper` (baseline) | %.1f |
                    | Distill TEXT_EXTRACT (`PdfExtractor`) | %.1f |
                    | ratio Distill / baseline | %.2f |

                    Corpus: %d generated text PDFs, %d pages in all (A4, Helvetica, ~40 lines a page).
                    """, pdfboxPagesPerSecond, distillPagesPerSecond, ratio(), documents, pages);
        }
    }

    private PdfTextBench() {}

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int pagesPerDocument = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Result result = run(documents, pagesPerDocument, rounds);
        String report = "# PDF text extraction\n\n" + result.markdown();
        System.out.println(report);
        if (args.length > 3) {
            Files.writeString(Path.of(args[3]), report);
        }
        System.out.println(Json.write(result));
    }

    /**
     * The same measurement in a fresh JVM: a JVM that has run other loads for a quarter of an hour
     * (the suite's) measured PDFBox alone at its usual rate but Distill's extractor at a third of it
     * once, which says something about that JVM, not about the extractor a worker runs.
     */
    public static Result runInOwnJvm(int documents, int pagesPerDocument, int rounds) throws Exception {
        String out = Processes.run(
                Processes.java("1g", PdfTextBench.class.getName(), documents, pagesPerDocument, rounds), Map.of(), 600);
        return Json.read(Processes.lastLine(out), Result.class);
    }

    /** Generates the corpus, warms both up once, then takes the best of {@code rounds} timed passes each. */
    public static Result run(int documents, int pagesPerDocument, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("pdf-bench-");
        try {
            List<Path> corpus = generateCorpus(dir, documents, pagesPerDocument);
            PdfExtractor extractor = new PdfExtractor(new Ocr(null));
            ExtractionLimits limits = new TextOnlyLimits();
            plain(corpus);
            distill(corpus, extractor, limits);
            double plainBest = Double.MAX_VALUE;
            double distillBest = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                plainBest = Math.min(plainBest, plain(corpus));
                distillBest = Math.min(distillBest, distill(corpus, extractor, limits));
            }
            int pages = documents * pagesPerDocument;
            return new Result(documents, pages, pages / plainBest, pages / distillBest);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The generated corpus: {@code documents} text PDFs of {@code pagesPerDocument} A4 pages, ~40 lines a page. */
    public static List<Path> generateCorpus(Path dir, int documents, int pagesPerDocument) throws Exception {
        List<Path> corpus = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            corpus.add(generate(dir.resolve("doc-" + d + ".pdf"), d, pagesPerDocument));
        }
        return corpus;
    }

    /** Characters of text Distill's TEXT_EXTRACT finds in one file of the given format (OCR off). */
    public static int distillChars(FormatRegistry formats, String format, Path file) throws Exception {
        return formats.forFormat(format)
                .extract(Source.ofFile(file), new TextOnlyLimits())
                .text()
                .length();
    }

    private static double plain(List<Path> corpus) throws Exception {
        long t0 = System.nanoTime();
        long chars = 0;
        for (Path file : corpus) {
            try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                chars += new PDFTextStripper().getText(pdf).length();
            }
        }
        return seconds(t0, chars);
    }

    private static double distill(List<Path> corpus, PdfExtractor extractor, ExtractionLimits limits) throws Exception {
        long t0 = System.nanoTime();
        long chars = 0;
        for (Path file : corpus) {
            chars += extractor.extract(Source.ofFile(file), limits).text().length();
        }
        return seconds(t0, chars);
    }

    private static double seconds(long t0, long chars) {
        if (chars == 0) {
            throw new IllegalStateException("no text extracted: the benchmark measured nothing");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Path generate(Path file, int seed, int pages) throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                pdf.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(pdf, page)) {
                    cs.beginText();
                    cs.setFont(font, 10);
                    cs.newLineAtOffset(50, 800);
                    for (int line = 0; line < 40; line++) {
                        cs.showText(String.format(
                                Locale.ROOT,
                                "Document %d page %d line %d: inspection of item %05d, value %.2f EUR, status OK",
                                seed,
                                p + 1,
                                line + 1,
                                seed * 1000 + line,
                                (seed + line) * 1.37));
                        cs.newLineAtOffset(0, -18);
                    }
                    cs.endText();
                }
            }
            pdf.save(file.toFile());
        }
        return file;
    }

    /** The worker's limits with OCR off (the corpus is text PDFs; OCR is measured on its own). */
    private static final class TextOnlyLimits implements ExtractionLimits {
        public Duration timeout() {
            return Duration.ofMinutes(5);
        }

        public int maxTextChars() {
            return 50_000_000;
        }

        public long maxTextFileBytes() {
            return 20_000_000;
        }

        public int maxPdfPages() {
            return 100_000;
        }

        public long maxPdfStreamBytes() {
            return 64L << 20;
        }

        public int maxStepEntityBytes() {
            return 1_000_000;
        }

        public int maxStepNesting() {
            return 32;
        }

        public int maxMimeParts() {
            return 500;
        }

        public int maxAttachments() {
            return 20;
        }

        public long maxAttachmentBytes() {
            return 25L << 20;
        }

        public int maxNestingDepth() {
            return 3;
        }

        public long maxImagePixels() {
            return 60_000_000;
        }

        public boolean ocrEnabled() {
            return false;
        }

        public Duration ocrPageTimeout() {
            return Duration.ofSeconds(60);
        }
    }
}
