package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Json;
import io.distill.model.Stage;
import io.distill.worker.jobs.JobStore;
import io.distill.worker.llm.Extraction;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.LeaseLostException;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores the one result of the job and marks it completed, atomically and only while this worker
 * still holds the lease: a duplicate or late attempt writes nothing.
 */
@ApplicationScoped
public class PersistStage implements PipelineStage {
    static final int PREVIEW_CHARS = 2000;
    private final JobStore store;

    public PersistStage(JobStore store) {
        this.store = store;
    }

    @Override
    public Stage stage() {
        return Stage.PERSIST;
    }

    @Override
    public boolean reportsProgress() {
        return false;
    }

    @Override
    public void run(JobContext context) {
        Extraction extraction = context.extraction();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("extractor", Map.of("name", extraction.extractor(), "kind", extraction.kind()));
        result.put("fields", extraction.fields());
        result.put("confidence", extraction.confidence());
        // records to plain maps: the row is written as JSON by the database client
        result.put("evidence", Json.mapper().convertValue(extraction.evidence(), Map.class));
        String text = context.document().text();
        result.put("document", Map.of(
                "format", context.document().format(),
                "sections", context.document().sections().size(),
                "chars", text.length(),
                "textPreview", text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) : text,
                "metadata", context.document().metadata()));
        result.put("telemetry", extraction.telemetry());
        long seq;
        try {
            seq = store.complete(context.job(), extraction.extractor(), new JsonObject(result), context.stageMillis())
                    .orElseThrow(() -> new LeaseLostException(context.job().id()));
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PipelineException(ErrorClass.PERSISTENCE_ERROR, "storing the result failed: " + e.getMessage(), e);
        }
        context.completionSeq(seq);
    }
}
