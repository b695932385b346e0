package io.distill.worker.scheduling;

import io.distill.worker.jobs.WorkerIdentity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * A named lease row in {@code processing_locks}: whoever holds it runs the singleton task, however
 * many worker replicas there are. Taken when free or expired, renewed by its holder.
 */
@ApplicationScoped
public class SingletonLease {
    private static final String ACQUIRE = """
            insert into processing_locks (name, owner, expires_at) values ($1, $2, now() + make_interval(secs => $3))
            on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at
            where processing_locks.owner = excluded.owner or processing_locks.expires_at < now()
            returning owner""";

    private final Pool pool;
    private final WorkerIdentity worker;

    public SingletonLease(Pool pool, WorkerIdentity worker) {
        this.pool = pool;
        this.worker = worker;
    }

    public boolean tryAcquire(String name, Duration ttl) {
        return pool.preparedQuery(ACQUIRE)
                        .execute(Tuple.of(name, worker.id(), ttl.toMillis() / 1000.0))
                        .await()
                        .atMost(Duration.ofSeconds(30))
                        .rowCount()
                == 1;
    }
}
