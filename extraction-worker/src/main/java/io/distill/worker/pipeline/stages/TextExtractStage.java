package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Stage;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.InvalidDocumentException;
import io.distill.worker.formats.LimitExceededException;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns the source into a {@link DocumentModel} with the extractor of its format, under a time
 * limit: a document that is unreadable, over a limit or too slow fails its job as a validation
 * error, and the worker goes on with the next one.
 */
@ApplicationScoped
public class TextExtractStage implements PipelineStage {
    private final FormatRegistry formats;
    private final ExtractionLimits limits;
    private final ExecutorService extractors = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "text-extract");
        thread.setDaemon(true);
        return thread;
    });

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
        Future<DocumentModel> extraction = extractors.submit(() -> extractor.extract(context.source(), limits));
        DocumentModel document;
        try {
            document = extraction.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            extraction.cancel(true);
            throw new PipelineException(ErrorClass.VALIDATION_ERROR,
                    "text extraction took longer than " + limits.timeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            extraction.cancel(true);
            Thread.currentThread().interrupt();
            throw new PipelineException(ErrorClass.INTERNAL_ERROR, "interrupted during text extraction");
        } catch (ExecutionException e) {
            throw classify(e.getCause());
        }
        if (document.text().isBlank()) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "document has no text");
        }
        context.document(document);
    }

    private static PipelineException classify(Throwable failure) {
        if (failure instanceof PipelineException pipeline) {
            return pipeline;
        }
        if (failure instanceof InvalidDocumentException || failure instanceof LimitExceededException) {
            return new PipelineException(ErrorClass.VALIDATION_ERROR, failure.getMessage(), failure);
        }
        if (failure instanceof OutOfMemoryError || failure instanceof StackOverflowError) {
            return new PipelineException(ErrorClass.VALIDATION_ERROR, "the document is too complex to extract ("
                    + failure.getClass().getSimpleName() + ")", failure);
        }
        return new PipelineException(ErrorClass.INTERNAL_ERROR, "text extraction failed: " + failure, failure);
    }

    @PreDestroy
    void stop() {
        extractors.shutdownNow();
    }
}
