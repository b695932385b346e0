package io.distill.worker;

import static org.awaitility.Awaitility.await;

import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.KafkaProbe;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the worker tests do to the real database and broker: insert jobs as the API would, and watch them. */
final class WorkerTests {
    static final Duration WAIT = Duration.ofSeconds(30);

    final Db db;
    final KafkaProbe kafka;

    WorkerTests(String jdbcUrl, String bootstrap) {
        this.db = new Db(jdbcUrl);
        this.kafka = new KafkaProbe(bootstrap);
    }

    UUID insertPendingJob(String text, int maxRetries) {
        UUID id = UUID.randomUUID();
        db.update(
                "insert into extraction_jobs (id, user_id, source_kind, format, source_text, max_retries, enqueued_at) "
                        + "values (?, 'u1', 'message', 'text', ?, ?, now())",
                id,
                text,
                maxRetries);
        return id;
    }

    /** A project of the user made from a built-in template, as the API would store it. */
    UUID insertProject(String userId, String template) {
        UUID id = UUID.randomUUID();
        db.update(
                "insert into projects (id, user_id, name, template) values (?, ?, ?, ?)",
                id,
                userId,
                template + "-" + id,
                template);
        db.update(
                "insert into project_versions (project_id, version, user_id, definition) values (?, 1, ?, ?::jsonb)",
                id,
                userId,
                Json.write(io.distill.model.projects.Templates.get(template)));
        return id;
    }

    UUID insertProjectJob(String userId, UUID projectId, String text, int maxRetries) {
        UUID id = UUID.randomUUID();
        db.update(
                "insert into extraction_jobs (id, user_id, source_kind, format, source_text, max_retries, enqueued_at, "
                        + "project_id, project_version) values (?, ?, 'message', 'text', ?, ?, now(), ?, 1)",
                id,
                userId,
                text,
                maxRetries,
                projectId);
        return id;
    }

    void enqueue(UUID id) {
        kafka.send(Topics.JOBS, id.toString(), Json.write(JobMessage.of(id, "u1")));
    }

    String status(UUID id) {
        return (String) db.query("select status from extraction_jobs where id = ?", id)
                .get(0)
                .get("status");
    }

    void awaitStatus(UUID id, String status) {
        await("job " + id + " " + status)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status(id), status::equals);
    }

    List<String> history(UUID id) {
        return db
                .query(
                        "select coalesce(from_status, '-') || '>' || to_status as t from job_state_history "
                                + "where job_id = ? order by id",
                        id)
                .stream()
                .map(r -> (String) r.get("t"))
                .toList();
    }

    long results(UUID id) {
        return db.count("select count(*) from extraction_results where job_id = ?", id);
    }

    List<ProgressEvent> events(UUID id, int expected) {
        return kafka
                .read(Topics.JOB_EVENTS, r -> id.toString().equals(r.key()), got -> got.size() >= expected, WAIT)
                .stream()
                .map(ConsumerRecord::value)
                .map(v -> Json.read(v, ProgressEvent.class))
                .toList();
    }
}
