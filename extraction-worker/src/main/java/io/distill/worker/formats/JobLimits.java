package io.distill.worker.formats;

import io.distill.model.jobs.JobOptions;
import java.time.Duration;

/**
 * The configured limits with one job's options: what the caller asked for (pages, OCR, attachments)
 * narrows what the extractors do; it never raises a configured bound.
 */
public record JobLimits(ExtractionLimits configured, JobOptions options) implements ExtractionLimits {

    public static ExtractionLimits of(ExtractionLimits configured, JobOptions options) {
        return options.equals(JobOptions.DEFAULTS) ? configured : new JobLimits(configured, options);
    }

    /** What an attachment is read with: the job's OCR choices, not its page selection (the pages are the job's document's). */
    @Override
    public ExtractionLimits forAttachment() {
        return of(configured, options.forAttachment());
    }

    @Override
    public boolean ocrEnabled() {
        return configured.ocrEnabled() && options.ocr() != JobOptions.Ocr.OFF;
    }

    @Override
    public Duration timeout() {
        return configured.timeout();
    }

    @Override
    public int maxTextChars() {
        return configured.maxTextChars();
    }

    @Override
    public long maxTextFileBytes() {
        return configured.maxTextFileBytes();
    }

    @Override
    public int maxPdfPages() {
        return configured.maxPdfPages();
    }

    @Override
    public long maxPdfStreamBytes() {
        return configured.maxPdfStreamBytes();
    }

    @Override
    public int maxStepEntityBytes() {
        return configured.maxStepEntityBytes();
    }

    @Override
    public int maxStepNesting() {
        return configured.maxStepNesting();
    }

    @Override
    public int maxMimeParts() {
        return configured.maxMimeParts();
    }

    @Override
    public int maxAttachments() {
        return configured.maxAttachments();
    }

    @Override
    public long maxAttachmentBytes() {
        return configured.maxAttachmentBytes();
    }

    @Override
    public int maxNestingDepth() {
        return configured.maxNestingDepth();
    }

    @Override
    public long maxImagePixels() {
        return configured.maxImagePixels();
    }

    @Override
    public Duration ocrPageTimeout() {
        return configured.ocrPageTimeout();
    }
}
