package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Stage;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.JobLimits;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns the source into a {@link DocumentModel} with the extractor of its format, within the
 * configured limits narrowed by the job's options ({@link JobLimits}); {@code maxChars} cuts the
 * text it yields. It runs on a
 * stage thread under TEXT_EXTRACT's deadline (the {@link io.distill.worker.pipeline.StageExecutor}):
 * a document that is unreadable, over a limit or too slow fails its job as a validation error, and
 * the worker goes on with the next one.
 */
@ApplicationScoped
public class TextExtractStage implements PipelineStage {
    private final FormatRegistry formats;
    private final ExtractionLimits limits;

    public TextExtractStage(FormatRegistry formats, ExtractionLimits limits) {
        this.formats = formats;
        this.limits = limits;
    }

    @Override
    public Stage stage() {
        return Stage.TEXT_EXTRACT;
    }

    @Override
    public void run(JobContext context) {
        FormatExtractor extractor = formats.forFormat(context.job().format());
        DocumentModel document;
        try {
            document = extractor.extract(context.source(), JobLimits.of(limits, context.options()));
        } catch (InvalidDocumentException | LimitExceededException e) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, e.getMessage(), e);
        } catch (java.io.IOException e) {
            // the file was read in LOAD: what fails here is its content
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "unreadable document: " + e.getMessage(), e);
        } catch (PipelineException e) {
            throw e;
        } catch (RuntimeException e) {
            // a parser's unexpected exception is a property of this file: the same file fails the same way again
            throw PipelineException.permanent(
                    ErrorClass.VALIDATION_ERROR,
                    "unreadable document (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                    e);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // the document's nesting or size, not a bug: the same file fails the same way every time
            throw PipelineException.permanent(
                    ErrorClass.VALIDATION_ERROR,
                    "the document is too complex to extract (" + e.getClass().getSimpleName() + ")",
                    e);
        }
        if (document.text().isBlank()) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "document has no text");
        }
        Integer maxChars = context.options().maxChars();
        context.document(maxChars == null ? document : document.cutAt(maxChars));
    }
}
