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
import io.distill.worker.projects.Project;
import io.distill.worker.records.RecordWriters;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores the one result of the job (payload as JSONB, provider telemetry in its own columns), the
 * template's typed records, and marks the job completed — atomically and only while this worker
 * still holds the lease: a duplicate or late attempt writes nothing.
 */
@ApplicationScoped
public class PersistStage implements PipelineStage {
    static final int PREVIEW_CHARS = 2000;
    private final JobStore store;
    private final RecordWriters records;

    public PersistStage(JobStore store, RecordWriters records) {
        this.store = store;
        this.records = records;
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
        result.put("grounding", extraction.grounding());
        Project project = context.project();
        if (project.id() != null) {
            result.put("project", Map.of("id", project.id().toString(), "version", project.version()));
        }
        // records to plain maps: the row is written as JSON by the database client
        result.put("evidence", Json.mapper().convertValue(extraction.evidence(), Map.class));
        String text = context.document().text();
        result.put(
                "document",
                Map.of(
                        "format", context.document().format(),
                        "sections", context.document().sections().size(),
                        "chars", text.length(),
                        "textPreview", text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) : text,
                        "metadata", context.document().metadata()));
        result.put("telemetry", extraction.telemetry());
        try {
            JobStore.Completion completion = new JobStore.Completion(
                    extraction.extractor(),
                    new JsonObject(result),
                    telemetry(extraction.telemetry()),
                    conn -> records.write(conn, context.job(), project, extraction.fields()));
            long seq = context.nextSeq();
            if (!store.complete(context.job(), seq, completion, context.stageMillis(), context.spend())) {
                throw new LeaseLostException(context.job().id());
            }
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            if (refusedValue(e)) {
                // a value the database cannot hold: the same record fails the same way every time
                throw PipelineException.permanent(
                        ErrorClass.VALIDATION_ERROR, "the record cannot be stored: " + e.getMessage(), e);
            }
            throw new PipelineException(
                    ErrorClass.PERSISTENCE_ERROR, "storing the result failed: " + e.getMessage(), e);
        }
    }

    /** SQLSTATE class 22 (data exception) or 54 (program limit): the value, not the database, is at fault. */
    private static boolean refusedValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("54"))) {
                return true;
            }
        }
        return false;
    }

    private static JobStore.Telemetry telemetry(Map<String, Object> t) {
        Object ids = t.get("responseIds");
        String responseId = ids instanceof java.util.List<?> list && !list.isEmpty()
                ? String.valueOf(list.get(list.size() - 1))
                : null;
        return new JobStore.Telemetry(
                (String) t.get("model"),
                responseId,
                intOrNull(t.get("latencyMs")),
                intOrNull(t.get("promptTokens")),
                intOrNull(t.get("completionTokens")),
                t.get("costUsd") instanceof java.math.BigDecimal cost ? cost : null,
                new JsonObject(Json.mapper().convertValue(t, Map.class)));
    }

    private static Integer intOrNull(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }
}
