package io.distill.worker.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.Source;
import io.distill.worker.projects.Project;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Runs a message's LOAD → TEXT_EXTRACT → VALIDATE work once at startup, before the worker consumes
 * its first job (messaging connects at priority {@code LIBRARY_BEFORE}; this observer comes first).
 * A fresh worker otherwise compiled the generic project's JSON Schema and CEL rules and loaded the
 * text path inside its first jobs: all C of them waited on it, ~2 s in LOAD and ~1 s in TEXT_EXTRACT
 * each on a two-core machine, and a worker added to scale out began by stalling a batch of jobs.
 * Nothing here reaches outside the process; a failure is logged and the worker starts all the same.
 */
@ApplicationScoped
public class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final String MESSAGE =
            "Quarterly report: revenue grew to EUR 1,200 on 2026-11-24.\n\nContact: ops@example.com";
    private static final String RECORD = """
            {"title": "Quarterly report", "summary": "Revenue grew.", "word_count": 9, "emails": ["ops@example.com"],
             "urls": [], "dates": ["2026-11-24"], "amounts": ["EUR 1,200"]}""";

    private final FormatRegistry formats;
    private final ExtractionLimits limits;

    public WarmUp(FormatRegistry formats, ExtractionLimits limits) {
        this.formats = formats;
        this.limits = limits;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        long t0 = System.nanoTime();
        try {
            run();
            LOG.infof("warmed up the message path in %d ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception | LinkageError e) {
            LOG.warnf("warm-up failed (%s); the first jobs will do it", e.toString());
        }
    }

    /** The sample through the text extractor and the generic project's validator; throws if either refuses it. */
    void run() throws IOException {
        Project project = Project.generic();
        String text = formats.forFormat("text")
                .extract(Source.ofBytes(MESSAGE.getBytes(StandardCharsets.UTF_8)), limits)
                .text();
        if (text.isBlank()) {
            throw new IllegalStateException("the sample message yielded no text");
        }
        var violations = project.validator().validate(Json.read(RECORD, JsonNode.class));
        if (!violations.isEmpty()) {
            throw new IllegalStateException("the sample record is not valid: " + violations);
        }
    }
}
