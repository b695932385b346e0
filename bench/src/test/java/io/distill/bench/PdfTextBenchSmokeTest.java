package io.distill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keeps the benchmark from rotting: it runs at a tiny size and reports both figures. Not a speed test. */
@Timeout(120)
class PdfTextBenchSmokeTest {

    @Test
    void benchmarkRunsAndReportsBothFigures() throws Exception {
        PdfTextBench.Result result = PdfTextBench.run(2, 2, 1);
        assertEquals(4, result.pages());
        assertTrue(result.pdfboxPagesPerSecond() > 0 && result.distillPagesPerSecond() > 0, result.toString());
        assertTrue(result.markdown().contains("ratio Distill / baseline"), result.markdown());
    }

    @Test
    void theSuiteRunsItInAJvmOfItsOwnAndReadsItsResult() throws Exception {
        PdfTextBench.Result result = PdfTextBench.runInOwnJvm(2, 3, 1);
        assertEquals(6, result.pages());
        assertEquals(2, result.documents());
        assertTrue(result.pdfboxPagesPerSecond() > 0 && result.distillPagesPerSecond() > 0, result.toString());
    }
}
