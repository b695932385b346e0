package io.distill.worker.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.files.DocumentFormat;
import io.distill.model.files.FormatDetector;
import io.distill.model.files.UnsupportedFileException;
import io.distill.worker.formats.ocr.Ocr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The regression corpus (real-world files from public repositories, see corpus/SOURCES.md): each
 * file is detected as its expected format and reads, or is refused for its stated reason; a PDF's
 * text covers at least 90 % of the words poppler's pdftotext finds in it. No Kafka, no PostgreSQL.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus");
    private static final FormatRegistry FORMATS = FormatRegistry.standalone(new Ocr(null));
    /** A word of an alphabetic script, or one character of a script written without spaces (Han, kana, Hangul, Thai). */
    private static final Pattern WORD = Pattern.compile(
            "[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\p{IsThai}]|[\\p{L}\\p{N}&&[^\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\p{IsThai}]]+");

    private static final double MIN_PDF_COVERAGE = 0.9;

    /** One line of expected.tsv: the file, its format, {@code ok}, {@code no text} or {@code refused: reason}, and a phrase its text holds. */
    record Expectation(String file, String format, String outcome, String phrase) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Expectation> corpus() throws IOException {
        return expectations().values().stream();
    }

    private static Map<String, Expectation> expectations() throws IOException {
        Map<String, Expectation> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(CORPUS.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = Arrays.copyOf(line.split("\t"), 4);
            expected.put(f[0], new Expectation(f[0], f[1], f[2], f[3] == null ? "" : f[3]));
        }
        return expected;
    }

    @Test
    void everyFileOfTheCorpusHasAnExpectation() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(Files::isRegularFile)
                    .map(p -> CORPUS.relativize(p).toString())
                    .filter(p -> !p.equals("SOURCES.md") && !p.equals("expected.tsv"))
                    .sorted()
                    .toList();
        }
        assertEquals(files, expectations().keySet().stream().sorted().toList());
        long bytes = 0;
        for (String file : files) {
            long size = Files.size(CORPUS.resolve(file));
            assertTrue(size < 1_000_000, file + " is over 1 MB");
            bytes += size;
        }
        assertTrue(bytes < 15_000_000, "the corpus is " + bytes + " bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void readsAsExpected(Expectation expected) throws Exception {
        Path file = CORPUS.resolve(expected.file());
        byte[] head =
                Arrays.copyOf(Files.readAllBytes(file), (int) Math.min(Files.size(file), FormatDetector.HEAD_BYTES));
        DocumentModel document;
        try {
            DocumentFormat format = FormatDetector.detect(file.getFileName().toString(), head);
            assertEquals(expected.format(), format.id());
            document = FORMATS.forFormat(format.id()).extract(Source.ofFile(file), DefaultLimits.WITH_OCR);
        } catch (UnsupportedFileException | InvalidDocumentException | LimitExceededException e) {
            assertTrue(expected.outcome().startsWith("refused:"), expected.file() + " was refused: " + e.getMessage());
            String reason = expected.outcome().substring("refused:".length()).strip();
            assertTrue(
                    e.getMessage().contains(reason), "reason '" + e.getMessage() + "' does not name '" + reason + "'");
            return;
        }
        if (expected.outcome().equals("no text")) {
            // read, but nothing in it is text (a drawing scanned as an image): the pipeline fails such a job as
            // "document has no text"
            assertTrue(document.text().isBlank(), expected.file() + " yields text:\n" + document.text());
            return;
        }
        assertEquals("ok", expected.outcome(), expected.file() + " was read");
        assertFalse(document.text().isBlank(), expected.file() + " yields no text");
        assertTrue(
                document.text().contains(expected.phrase()),
                expected.file() + " lacks '" + expected.phrase() + "':\n" + document.text());
        for (DocumentModel.Section section : document.sections()) {
            assertTrue(
                    section.start() <= section.end()
                            && section.end() <= document.text().length(),
                    "section offsets " + section);
        }
        if (expected.format().equals("pdf")) {
            String referenceText = pdftotext(file);
            // where pdftotext itself cannot tell words apart (vertical text, one glyph a line), letters are compared
            boolean byLetter = io.distill.worker.formats.pdf.PdfExtractor.fragmented(referenceText);
            List<String> reference = byLetter ? letters(referenceText) : words(referenceText);
            if (!reference.isEmpty()) {
                double coverage = coverage(reference, byLetter ? letters(document.text()) : words(document.text()));
                assertTrue(
                        coverage >= MIN_PDF_COVERAGE,
                        String.format(
                                Locale.ROOT,
                                "%s: %.2f of pdftotext's %d words",
                                expected.file(),
                                coverage,
                                reference.size()));
            }
        }
    }

    private static String pdftotext(Path pdf) throws Exception {
        Process process = new ProcessBuilder("pdftotext", "-enc", "UTF-8", pdf.toString(), "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "pdftotext finished");
        assertNotNull(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m =
                WORD.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    static List<String> letters(String text) {
        return words(text).stream()
                .flatMap(w -> w.codePoints().mapToObj(Character::toString))
                .toList();
    }

    /** The share of the reference's words (with repetitions) that the text has too. */
    static double coverage(List<String> reference, List<String> text) {
        Map<String, Integer> available = new HashMap<>();
        text.forEach(w -> available.merge(w, 1, Integer::sum));
        int found = 0;
        for (String word : reference) {
            Integer n = available.get(word);
            if (n != null && n > 0) {
                available.put(word, n - 1);
                found++;
            }
        }
        return (double) found / reference.size();
    }
}
