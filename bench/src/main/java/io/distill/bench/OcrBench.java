package io.distill.bench;

import io.distill.testinfra.Fixtures;
import io.distill.worker.formats.ocr.Ocr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * OCR pages per second: Distill's path (render the page at 300 dpi, then Tesseract, as the worker
 * does) with one thread per core, against Tesseract alone on pre-rendered pages, single-threaded
 * ({@code OMP_THREAD_LIMIT=1}), the baseline being that rate times the cores.
 */
final class OcrBench {
    record Result(int pages, int threads, double tesseractPagesPerSecond, double distillPagesPerSecond) {}

    private OcrBench() {}

    static Result run(int pages) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("ocr-bench-");
        List<Path> scans = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
            Path file = dir.resolve("scan-" + i + ".pdf");
            Files.write(file, Fixtures.scannedPdf());
            scans.add(file);
        }
        List<Path> images = new ArrayList<>();
        for (Path scan : scans) {
            try (PDDocument pdf = Loader.loadPDF(scan.toFile())) {
                Path png = dir.resolve(scan.getFileName() + ".png");
                ImageIO.write(new PDFRenderer(pdf).renderImageWithDPI(0, 300, ImageType.GRAY), "png", png.toFile());
                images.add(png);
            }
        }
        long t0 = System.nanoTime();
        for (Path png : images) {
            String text = Processes.run(
                    List.of("tesseract", png.toString(), "stdout", "-l", "eng", "--psm", "3"),
                    Map.of("OMP_THREAD_LIMIT", "1"),
                    120);
            if (text.isBlank()) {
                throw new IllegalStateException("tesseract read nothing: the benchmark measured nothing");
            }
        }
        double tesseract = pages / ((System.nanoTime() - t0) / 1e9);

        Ocr ocr = new Ocr(null);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t1 = System.nanoTime();
        List<Future<String>> texts = new ArrayList<>();
        for (Path scan : scans) {
            texts.add(pool.submit(() -> {
                try (PDDocument pdf = Loader.loadPDF(scan.toFile())) {
                    return ocr.document(scan).page(pdf, 0, Duration.ofSeconds(120));
                }
            }));
        }
        for (Future<String> text : texts) {
            if (text.get().isBlank()) {
                throw new IllegalStateException("OCR read nothing");
            }
        }
        double distill = pages / ((System.nanoTime() - t1) / 1e9);
        pool.shutdown();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        return new Result(pages, threads, tesseract, distill);
    }
}
