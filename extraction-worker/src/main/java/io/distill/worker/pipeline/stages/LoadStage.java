package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Stage;
import io.distill.model.files.FileStorage;
import io.distill.worker.formats.Source;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import io.distill.worker.projects.ProjectCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;

/** Finds the job's project version and its source: the message text from the job row, or the uploaded file in storage. */
@ApplicationScoped
public class LoadStage implements PipelineStage {
    private final FileStorage storage;
    private final ProjectCatalog projects;

    public LoadStage(FileStorage storage, ProjectCatalog projects) {
        this.storage = storage;
        this.projects = projects;
    }

    @Override
    public Stage stage() {
        return Stage.LOAD;
    }

    @Override
    public void run(JobContext context) {
        ClaimedJob job = context.job();
        context.project(projects.forJob(job.projectId(), job.projectVersion()));
        switch (job.sourceKind()) {
            case "message" -> {
                if (job.sourceText() == null) {
                    throw new PipelineException(ErrorClass.SOURCE_ERROR, "message job has no text");
                }
                context.source(Source.ofBytes(job.sourceText().getBytes(StandardCharsets.UTF_8)));
            }
            case "upload" -> {
                java.nio.file.Path file = file(job.fileUrl());
                if (!storage.isLocal(job.fileUrl())) {
                    context.deleteOnClose(file);
                }
                context.source(Source.ofFile(file));
            }
            default -> throw new PipelineException(ErrorClass.SOURCE_ERROR, "unknown source kind " + job.sourceKind());
        }
    }

    private java.nio.file.Path file(String url) {
        try {
            return storage.localCopy(url);
        } catch (NoSuchFileException e) {
            throw new PipelineException(ErrorClass.SOURCE_ERROR, "the uploaded file is no longer in storage");
        } catch (IOException e) {
            // storage unreachable: worth another attempt
            throw new PipelineException(
                    ErrorClass.PERSISTENCE_ERROR, "reading the upload failed: " + e.getMessage(), e);
        }
    }
}
