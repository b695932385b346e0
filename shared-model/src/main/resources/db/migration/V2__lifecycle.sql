-- Job lifecycle: idempotent submission, manual retry and the attempt schedule in the history.

alter table extraction_jobs
    add column idempotency_key text,
    add column request_hash    text,
    add column run_id          uuid references extraction_runs (id);

-- same user + same key = same job
create unique index extraction_jobs_idempotency_idx on extraction_jobs (user_id, idempotency_key)
    where idempotency_key is not null;
create index extraction_jobs_run_idx on extraction_jobs (run_id) where run_id is not null;

-- a rescheduled attempt records when it may run next, so "not before next_retry_at" can be checked
alter table job_state_transitions add column next_retry_at timestamptz;

create or replace function record_job_transition() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into job_state_transitions (job_id, from_status, to_status, lease_owner)
        values (new.id, null, new.status, new.lease_owner);
    elsif new.status is distinct from old.status then
        insert into job_state_transitions (job_id, from_status, to_status, lease_owner, error_code, next_retry_at)
        values (new.id, old.status, new.status, coalesce(new.lease_owner, old.lease_owner), new.error_code, new.next_retry_at);
    end if;
    return new;
end $$;
