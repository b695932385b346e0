package io.distill.worker.formats;

import java.time.Duration;

/** The extraction limits as configured by default, OCR off unless asked for: for reading documents in unit tests. */
public final class DefaultLimits implements ExtractionLimits {
    public static final DefaultLimits INSTANCE = new DefaultLimits(false);
    public static final DefaultLimits WITH_OCR = new DefaultLimits(true);
    private final boolean ocr;

    private DefaultLimits(boolean ocr) {
        this.ocr = ocr;
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(120);
    }

    @Override
    public int maxTextChars() {
        return 5_000_000;
    }

    @Override
    public long maxTextFileBytes() {
        return 20_000_000;
    }

    @Override
    public int maxPdfPages() {
        return 2000;
    }

    @Override
    public long maxPdfStreamBytes() {
        return 64L << 20;
    }

    @Override
    public int maxStepEntityBytes() {
        return 1_000_000;
    }

    @Override
    public int maxStepNesting() {
        return 32;
    }

    @Override
    public int maxMimeParts() {
        return 500;
    }

    @Override
    public int maxAttachments() {
        return 20;
    }

    @Override
    public long maxAttachmentBytes() {
        return 25L << 20;
    }

    @Override
    public int maxNestingDepth() {
        return 3;
    }

    @Override
    public long maxImagePixels() {
        return 60_000_000;
    }

    @Override
    public boolean ocrEnabled() {
        return ocr;
    }

    @Override
    public Duration ocrPageTimeout() {
        return Duration.ofSeconds(60);
    }
}
