-- The submit path's cost inside PostgreSQL, continued (figures in docs/benchmarks.md).

-- A job's creation is its own row: created_at, and pending (the insert trigger below refuses any
-- other start). The trigger's copy of it was a second row, two index entries and a foreign-key
-- check on every submission, so the table keeps the changes of status only, and job_state_history
-- gives readers the whole history, the creation first.
drop trigger extraction_jobs_transition on extraction_jobs;
create or replace function record_job_transition() returns trigger
    language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into job_state_transitions (job_id, from_status, to_status, lease_owner, error_code, next_retry_at)
    values (new.id, old.status, new.status, coalesce(new.lease_owner, old.lease_owner), new.error_code, new.next_retry_at);
    return new;
end $$;
create trigger extraction_jobs_transition
    after update of status on extraction_jobs
    for each row when (new.status is distinct from old.status) execute function record_job_transition();
delete from job_state_transitions where from_status is null;

-- security_invoker: read with the reader's rights and row security, not the owner's
create view job_state_history with (security_invoker = true) as
    select job_id, from_status, to_status, lease_owner, error_code, next_retry_at, at, id
    from job_state_transitions
    union all
    select id, null, 'pending', null, null, null, created_at, 0 from extraction_jobs;

-- The legality check as before, but its function runs only when there is something to refuse: a
-- trigger's WHEN is evaluated without entering PL/pgSQL, once per inserted or updated row.
drop trigger extraction_jobs_legal_transition on extraction_jobs;
create trigger extraction_jobs_legal_start
    before insert on extraction_jobs
    for each row when (new.status is distinct from 'pending') execute function refuse_illegal_transition();
create trigger extraction_jobs_legal_transition
    before update of status on extraction_jobs
    for each row when (new.status is distinct from old.status) execute function refuse_illegal_transition();

-- Written by every submission and every change of status, read by nothing on a path that matters:
-- the claim goes by id, the sweeper by the live index, a user's list by (user_id, created_at). In a
-- full benchmark run it was scanned once (1,000 rows), the primary key 467,000 times.
drop index if exists extraction_jobs_status_next_retry_idx;
