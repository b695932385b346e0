package io.distill.worker.jobs;

import io.distill.model.ErrorClass;
import io.distill.model.JobStatus;
import io.distill.model.RetryPolicy;
import io.distill.model.Stage;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.LeaseLostException;
import io.distill.worker.pipeline.Pipeline;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.progress.ProgressPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import io.distill.worker.metrics.WorkerMetrics;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One attempt at one job: claim, run the pipeline, and end the attempt as completed, rescheduled
 * or failed according to the {@link RetryPolicy}. A job that cannot be claimed (duplicate
 * delivery, held by a live worker, already done) is left alone.
 */
@ApplicationScoped
public class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final JobStore store;
    private final Pipeline pipeline;
    private final ProgressPublisher progress;
    private final LeaseKeeper leases;
    private final RetryPolicy retryPolicy;
    private final WorkerMetrics metrics;

    public JobRunner(JobStore store, Pipeline pipeline, ProgressPublisher progress, LeaseKeeper leases, WorkerMetrics metrics,
                     @ConfigProperty(name = "distill.retry.base-delay") Duration retryBaseDelay,
                     @ConfigProperty(name = "distill.retry.max-delay") Duration retryMaxDelay) {
        this.store = store;
        this.pipeline = pipeline;
        this.progress = progress;
        this.leases = leases;
        this.retryPolicy = new RetryPolicy(retryBaseDelay, retryMaxDelay);
        this.metrics = metrics;
    }

    /**
     * Never throws for a job that exists: if PostgreSQL or Kafka fail under the attempt, the job
     * keeps its durable state (pending, or processing under a lease that will expire) and the
     * sweeper re-enqueues it. The dead-letter topic is for poison records only.
     */
    public void run(UUID jobId) {
        MDC.put("jobId", jobId.toString());
        try {
            attempt(jobId);
        } catch (RuntimeException infrastructure) {
            LOG.warnf("job %s: attempt abandoned (%s); the sweeper will re-enqueue it", jobId, infrastructure.toString());
        } finally {
            MDC.remove("jobId");
        }
    }

    private void attempt(UUID jobId) {
        Optional<ClaimedJob> claimed = store.claim(jobId);
        if (claimed.isEmpty()) {
            LOG.debugf("job %s not claimable (duplicate delivery, held elsewhere or finished)", jobId);
            return;
        }
        ClaimedJob job = claimed.get();
        progress.claimed(job);
        JobContext context = new JobContext(job);
        leases.hold(job);
        try {
            pipeline.run(context);
            metrics.attemptEnded("completed", "none");
            LOG.infof("job %s completed, stage timings (ms) %s", jobId, context.stageMillis());
        } catch (LeaseLostException e) {
            LOG.infof("job %s: %s; leaving it to its new owner", jobId, e.getMessage());
        } catch (PipelineException e) {
            endWithError(context, e);
        } finally {
            leases.release(job);
            context.close();
        }
    }

    private void endWithError(JobContext context, PipelineException error) {
        ClaimedJob job = context.job();
        RetryPolicy.Decision decision = retryPolicy.afterFailure(error.retryable(), job.retryCount(), job.maxRetries(),
                error.retryAfter());
        Instant retryAt = decision instanceof RetryPolicy.Retry retry ? Instant.now().plus(retry.delay()) : null;
        JobStatus next = retryAt == null ? JobStatus.FAILED : JobStatus.PENDING;
        metrics.attemptEnded(retryAt == null ? "failed" : "retry", error.errorClass().code());
        if (error.errorClass() == ErrorClass.INTERNAL_ERROR) {
            LOG.errorf(error, "job %s failed unexpectedly", job.id());
        } else {
            LOG.infof("job %s: %s (%s)", job.id(), error.reason(), next.dbValue());
        }
        store.fail(job, error.errorClass().code(), error.getMessage(), retryAt, context.stageMillis())
                .ifPresent(stored -> progress.ended(job, Stage.valueOf(currentStage(context)), next, stored,
                        error.errorClass().code(), error.getMessage()));
    }

    private static String currentStage(JobContext context) {
        return context.stageMillis().isEmpty() ? Stage.LOAD.name()
                : context.stageMillis().keySet().stream().reduce((a, b) -> b).orElseThrow();
    }
}
