package io.distill.api.jobs;

import io.distill.model.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code distill_jobs{status=…}}: how many jobs are in each state, across users, counted by the
 * database every 15 s (one grouped query over the table: a cost that grows with the table, paid four
 * times a minute rather than an index entry on every submission and every change of status).
 */
@ApplicationScoped
public class JobStatusMetrics {
    private static final String COUNT = "select status, count(*) as n from extraction_jobs group by status";
    private final Pool pool;
    private final Map<JobStatus, AtomicLong> counts = new EnumMap<>(JobStatus.class);

    public JobStatusMetrics(
            @io.quarkus.reactive.datasource.ReactiveDataSource("admin") Pool pool, MeterRegistry registry) {
        this.pool = pool;
        for (JobStatus status : JobStatus.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(status, count);
            Gauge.builder("distill.jobs", count, AtomicLong::get)
                    .tag("status", status.dbValue())
                    .description("jobs by status")
                    .register(registry);
        }
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(COUNT)
                .execute()
                .invoke(rows -> {
                    counts.values().forEach(c -> c.set(0));
                    rows.forEach(r ->
                            counts.get(JobStatus.fromDb(r.getString("status"))).set(r.getLong("n")));
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }
}
