package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Stage;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns the source into a {@link DocumentModel} with the extractor of its format. */
@ApplicationScoped
public class TextExtractStage implements PipelineStage {
    private final FormatRegistry formats;

    public TextExtractStage(FormatRegistry formats) {
        this.formats = formats;
    }

    @Override
    public Stage stage() {
        return Stage.TEXT_EXTRACT;
    }

    @Override
    public void run(JobContext context) {
        DocumentModel document = formats.forFormat(context.job().format()).extract(context.source());
        if (document.text().isBlank()) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "document has no text");
        }
        context.document(document);
    }
}
