package io.distill.api.runs;

import io.distill.model.jobs.JobTransitions;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The daily schedule (cron {@code distill.runs.daily-cron}, 03:00 UTC by default, "off" to switch it
 * off): every user with eligible jobs (pending, failed with a retryable error, or under an expired
 * lease) older than {@code distill.runs.daily-min-age} gets a run over them, started by
 * {@value #SYSTEM} with trigger {@code daily} and the day as its reference. One API replica does it
 * per day: the first to take that day's row in {@code processing_locks}.
 */
@ApplicationScoped
public class DailyRuns {
    private static final Logger LOG = Logger.getLogger(DailyRuns.class);
    /** The owner of scheduled runs. */
    static final String SYSTEM = "system";

    private static final String CLAIM_DAY = """
            insert into processing_locks (name, owner, expires_at) values ($1, 'api', now() + interval '2 days')
            on conflict (name) do nothing returning name""";

    private final Pool pool;
    private final RunService runs;
    private final Duration minAge;

    public DailyRuns(
            @io.quarkus.reactive.datasource.ReactiveDataSource("admin") Pool pool,
            RunService runs,
            @ConfigProperty(name = "distill.runs.daily-min-age") Duration minAge) {
        this.pool = pool;
        this.runs = runs;
        this.minAge = minAge;
    }

    @Scheduled(cron = "${distill.runs.daily-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runForDay(LocalDate.now(ZoneOffset.UTC))
                .invoke(n -> LOG.infof("daily runs started: %d", n))
                .replaceWithVoid();
    }

    /** Starts the day's scheduled runs unless another replica already did; returns how many started. */
    public Uni<Integer> runForDay(LocalDate day) {
        Instant cutoff = Instant.now().minus(minAge);
        return pool.preparedQuery(CLAIM_DAY)
                .execute(Tuple.of("daily-runs:" + day))
                .chain(claimed -> {
                    if (claimed.rowCount() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    return JobTransitions.usersWithEligibleJobs(pool, cutoff)
                            .chain(users -> Multi.createFrom()
                                    .iterable(users)
                                    .onItem()
                                    .transformToUniAndConcatenate(user -> runs.start(
                                            SYSTEM,
                                            "daily",
                                            day.toString(),
                                            new RunScope(user, null, null, cutoff, null, null, null)))
                                    .collect()
                                    .asList()
                                    .map(List::size));
                });
    }
}
