package io.distill.worker.formats;

import io.distill.model.jobs.JobOptions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bounds on one document's extraction, so that a hostile file fails its job instead of the worker. */
@ConfigMapping(prefix = "distill.formats")
public interface ExtractionLimits {
    /** Wall-clock time for TEXT_EXTRACT of one document. */
    @WithDefault("120s")
    Duration timeout();

    /** Characters of text a document may yield. */
    @WithDefault("5000000")
    int maxTextChars();

    /** Size of text-like files (txt, md, html, eml) read whole. */
    @WithDefault("20000000")
    long maxTextFileBytes();

    @WithDefault("2000")
    int maxPdfPages();

    /** Decompressed bytes of one PDF content stream (decompression bombs). */
    @WithDefault("67108864")
    long maxPdfStreamBytes();

    /** Bytes of one STEP/IFC entity, and nesting depth of its parameters. */
    @WithDefault("1000000")
    int maxStepEntityBytes();

    @WithDefault("32")
    int maxStepNesting();

    /** Parts of a MIME message, counted through every level. */
    @WithDefault("500")
    int maxMimeParts();

    /** Attachments of one message read as documents; the rest are listed. */
    @WithDefault("20")
    int maxAttachments();

    @WithDefault("26214400")
    long maxAttachmentBytes();

    /** Documents inside documents inside documents… (an e-mail attached to an e-mail). */
    @WithDefault("3")
    int maxNestingDepth();

    /** Pixels of one image page given to OCR (an A4 page at 600 dpi has 35 million). */
    @WithDefault("60000000")
    long maxImagePixels();

    @WithDefault("true")
    boolean ocrEnabled();

    @WithDefault("60s")
    Duration ocrPageTimeout();

    /** What the job's caller asked for (pages, OCR, attachments); the configured limits alone ask for nothing. */
    default JobOptions options() {
        return JobOptions.DEFAULTS;
    }

    /** What an attachment of the document is read with. */
    default ExtractionLimits forAttachment() {
        return this;
    }
}
