package io.distill.worker.formats;

import io.distill.model.files.DocumentFormat;
import io.distill.model.files.FormatDetector;
import io.distill.model.files.UnsupportedFileException;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Documents inside documents (an e-mail's attachments) read by the same extractors as uploads,
 * on the same thread and under the same deadline, within a nesting depth. An attachment that
 * cannot be read does not fail its message: the reason is reported beside it.
 */
public final class NestedDocuments {
    /** How deep the current thread's extraction is nested (extraction runs on one thread, start to end). */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final Supplier<FormatRegistry> registry;

    public NestedDocuments(Supplier<FormatRegistry> registry) {
        this.registry = registry;
    }

    /** What came of one attachment: its document, or why it was not read. */
    public record Result(String format, DocumentModel document, String skipped) {}

    public Result read(String filename, byte[] bytes, ExtractionLimits limits) {
        if (DEPTH.get()[0] >= limits.maxNestingDepth()) {
            return new Result("", null, "nested deeper than " + limits.maxNestingDepth());
        }
        DocumentFormat format;
        try {
            format = FormatDetector.detect(
                    filename, Arrays.copyOf(bytes, Math.min(bytes.length, FormatDetector.HEAD_BYTES)));
        } catch (UnsupportedFileException e) {
            return new Result("", null, e.getMessage());
        }
        DEPTH.get()[0]++;
        try {
            FormatExtractor extractor = registry.get().forFormat(format.id());
            return new Result(format.id(), extractor.extract(Source.ofBytes(bytes), limits.forAttachment()), null);
        } catch (InvalidDocumentException | IOException e) {
            return new Result(format.id(), null, "unreadable: " + e.getMessage());
        } catch (LimitExceededException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // the job's deadline, not the attachment's
            }
            return new Result(format.id(), null, e.getMessage());
        } finally {
            DEPTH.get()[0]--;
        }
    }
}
