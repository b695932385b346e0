package io.distill.worker.jobs;

import io.distill.model.ErrorClass;
import io.distill.model.JobStatus;
import io.distill.model.RetryPolicy;
import io.distill.worker.metrics.WorkerMetrics;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.LeaseLostException;
import io.distill.worker.pipeline.Pipeline;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.progress.ProgressPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

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
    private final java.math.BigDecimal reserveAtClaim;

    public JobRunner(
            JobStore store,
            Pipeline pipeline,
            ProgressPublisher progress,
            LeaseKeeper leases,
            WorkerMetrics metrics,
            io.distill.worker.llm.Extractor extractor,
            io.distill.worker.llm.LlmSettings llm,
            RetrySettings retry) {
        // a paid extractor's job sets aside a first part of its budget in the claim itself
        this.reserveAtClaim = extractor.usesProvider() ? llm.reserveAtClaimUsd() : java.math.BigDecimal.ZERO;
        this.store = store;
        this.pipeline = pipeline;
        this.progress = progress;
        this.leases = leases;
        this.retryPolicy = new RetryPolicy(retry.baseDelay(), retry.maxDelay());
        this.metrics = metrics;
    }

    /**
     * Never throws for a job that exists: if PostgreSQL or Kafka fail under the attempt, the job
     * keeps its durable state (pending, or processing under a lease that will expire) and the
     * sweeper re-enqueues it. The dead-letter topic is for poison records only.
     */
    public void run(UUID jobId, Runnable whenClaimed) {
        MDC.put("jobId", jobId.toString());
        try {
            attempt(jobId, whenClaimed);
        } catch (RuntimeException infrastructure) {
            LOG.warnf(
                    "job %s: attempt abandoned (%s); the sweeper will re-enqueue it", jobId, infrastructure.toString());
        } finally {
            MDC.remove("jobId");
        }
    }

    /**
     * @param whenClaimed called once the job's durable state says who runs it (claimed, or not
     *                    claimable): from then on the job row and its lease are the truth, so the
     *                    Kafka record is done with — one long job never holds its partition's offset
     */
    private void attempt(UUID jobId, Runnable whenClaimed) {
        Optional<ClaimedJob> claimed;
        try {
            claimed = store.claim(jobId, reserveAtClaim);
        } finally {
            whenClaimed.run();
        }
        if (claimed.isEmpty()) {
            LOG.debugf("job %s not claimable (duplicate delivery, held elsewhere or finished)", jobId);
            return;
        }
        JobContext context = new JobContext(claimed.get());
        progress.claimed(context);
        leases.hold(context);
        try {
            if (reusedEarlierResult(context)) {
                return;
            }
            pipeline.run(context);
            metrics.attemptEnded("completed", "none");
            LOG.infof("job %s completed, stage timings (ms) %s", jobId, context.stageMillis());
        } catch (LeaseLostException e) {
            LOG.infof("job %s: %s; leaving it to its new owner", jobId, e.getMessage());
        } catch (PipelineException e) {
            endWithError(context, e);
        } finally {
            leases.release(context);
            context.close();
        }
    }

    /** A repeated upload (same bytes, project version and options; not {@code force}d) completes as a copy. */
    private boolean reusedEarlierResult(JobContext context) {
        ClaimedJob job = context.job();
        if (job.contentSha256() == null || context.options().force()) {
            return false;
        }
        long seq = context.seq() + 1;
        Optional<UUID> earlier = store.completeAsCopy(job, seq);
        if (earlier.isEmpty()) {
            return false;
        }
        context.nextSeq();
        progress.completed(context);
        metrics.attemptEnded("completed", "none");
        LOG.infof("job %s completed as a copy of job %s (the same file)", job.id(), earlier.get());
        return true;
    }

    private void endWithError(JobContext context, PipelineException error) {
        ClaimedJob job = context.job();
        RetryPolicy.Decision decision =
                retryPolicy.afterFailure(error.retryable(), job.retryCount(), job.maxRetries(), error.retryAfter());
        Instant retryAt =
                decision instanceof RetryPolicy.Retry retry ? Instant.now().plus(retry.delay()) : null;
        JobStatus next = retryAt == null ? JobStatus.FAILED : JobStatus.PENDING;
        metrics.attemptEnded(
                retryAt == null ? "failed" : "retry", error.errorClass().code());
        if (error.errorClass() == ErrorClass.INTERNAL_ERROR) {
            // a bug or a poison job: the one place its stack trace is logged
            LOG.errorf(
                    error.getCause() == null ? error : error.getCause(),
                    "job %s failed unexpectedly at %s: %s",
                    job.id(),
                    context.stage(),
                    error.getMessage());
        } else {
            LOG.infof("job %s: %s (%s)", job.id(), error.reason(), next.dbValue());
        }
        store.fail(
                        job,
                        context.nextSeq(),
                        context.stage(),
                        error.errorClass().code(),
                        error.getMessage(),
                        retryAt,
                        context.stageMillis(),
                        context.spend())
                .ifPresent(stored ->
                        progress.ended(context, next, stored, error.errorClass().code(), error.getMessage()));
    }
}
