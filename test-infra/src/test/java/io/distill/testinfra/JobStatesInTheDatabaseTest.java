package io.distill.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.JobStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database enforces the same job state machine as {@link JobStatus}: for every (from, to) pair
 * a status change succeeds exactly when {@code from.canMoveTo(to)}, whoever writes it, and a job
 * can only start pending.
 */
@Tag("infra")
@Timeout(120)
class JobStatesInTheDatabaseTest {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start();
        Schema.migrate(pg.jdbcUrl());
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void everyStatusChangeIsAllowedExactlyWhenJobStatusAllowsIt() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        try (Connection db = owner();
                Statement sql = db.createStatement()) {
            for (JobStatus from : JobStatus.values()) {
                for (JobStatus to : JobStatus.values()) {
                    if (from == to) {
                        continue; // not a change of status
                    }
                    UUID id = UUID.randomUUID();
                    sql.execute("insert into extraction_jobs (id, user_id, source_kind, source_text) values ('" + id
                            + "', 'u', 'message', 't')");
                    // place the job in 'from' without the trigger (as a fixture, not as a transition)
                    sql.execute("set session_replication_role = replica");
                    sql.execute("update extraction_jobs set status = '" + from.dbValue() + "' where id = '" + id + "'");
                    sql.execute("set session_replication_role = origin");
                    boolean accepted;
                    try {
                        sql.execute(
                                "update extraction_jobs set status = '" + to.dbValue() + "' where id = '" + id + "'");
                        accepted = true;
                    } catch (SQLException refused) {
                        assertEquals("23514", refused.getSQLState(), refused.getMessage());
                        accepted = false;
                    }
                    checked++;
                    if (accepted != from.canMoveTo(to)) {
                        mismatches.add(from.dbValue() + " -> " + to.dbValue() + (accepted ? " accepted" : " refused"));
                    }
                }
            }
        }
        assertEquals(20, checked);
        assertTrue(mismatches.isEmpty(), "the database and JobStatus disagree: " + mismatches);
    }

    @Test
    void aJobCanOnlyStartPending() throws Exception {
        try (Connection db = owner();
                Statement sql = db.createStatement()) {
            for (JobStatus status : JobStatus.values()) {
                String insert = "insert into extraction_jobs (id, user_id, source_kind, source_text, status) values ('"
                        + UUID.randomUUID() + "', 'u', 'message', 't', '" + status.dbValue() + "')";
                if (status == JobStatus.PENDING) {
                    sql.execute(insert);
                } else {
                    SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(
                            SQLException.class, () -> sql.execute(insert));
                    assertEquals("23514", refused.getSQLState());
                }
            }
        }
    }

    @Test
    void theHistoryIsTheCreationThenEachChangeOfStatus() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection db = owner();
                Statement sql = db.createStatement()) {
            sql.execute("insert into extraction_jobs (id, user_id, source_kind, source_text) values ('" + id
                    + "', 'u', 'message', 't')");
            for (String status : List.of("processing", "processing", "completed")) {
                sql.execute("update extraction_jobs set status = '" + status + "' where id = '" + id + "'");
            }
            List<String> history = new ArrayList<>();
            try (var rows = sql.executeQuery("select coalesce(from_status, '-') || '>' || to_status from"
                    + " job_state_history where job_id = '" + id + "' order by id")) {
                while (rows.next()) {
                    history.add(rows.getString(1));
                }
            }
            assertEquals(List.of("->pending", "pending>processing", "processing>completed"), history);
            try (var rows = sql.executeQuery(
                    "select count(*) from job_state_transitions where job_id = '" + id + "' and from_status is null")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "the creation is the job's row, not a copy of it");
            }
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres");
    }
}
