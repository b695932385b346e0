-- Distill schema, owned by api-service (it alone runs Flyway; workers and gateways wait for it).

create table extraction_jobs (
    id               uuid primary key,
    user_id          text        not null,
    source_kind      text        not null check (source_kind in ('upload', 'message')),
    filename         text,
    file_url         text,
    file_size        bigint,
    format           text,
    source_text      text,
    metadata         jsonb       not null default '{}'::jsonb,
    options          jsonb       not null default '{}'::jsonb,
    status           text        not null default 'pending'
                     check (status in ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    progress         integer     not null default 0 check (progress between 0 and 100),
    current_stage    text,
    event_seq        bigint      not null default 0,
    result           jsonb,
    stage_timings    jsonb       not null default '{}'::jsonb,
    error_code       text,
    error_message    text,
    retry_count      integer     not null default 0,
    max_retries      integer     not null default 3 check (max_retries >= 0),
    next_retry_at    timestamptz,
    lease_owner      text,
    lease_expires_at timestamptz,
    lease_version    bigint      not null default 0,
    enqueued_at      timestamptz,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    completed_at     timestamptz,
    updated_at       timestamptz not null default now()
);

create index extraction_jobs_status_idx on extraction_jobs (status);
create index extraction_jobs_status_next_retry_idx on extraction_jobs (status, next_retry_at);
create index extraction_jobs_file_url_idx on extraction_jobs (file_url);
create index extraction_jobs_user_idx on extraction_jobs (user_id);
-- newest-first keyset pagination per user
create index extraction_jobs_user_created_idx on extraction_jobs (user_id, created_at desc, id desc);
-- the sweeper's scan: only live jobs
create index extraction_jobs_live_idx on extraction_jobs (status, lease_expires_at) where status in ('pending', 'processing');

-- Every status change, whoever makes it, recorded by the trigger below: the job's state history.
create table job_state_transitions (
    id          bigserial primary key,
    job_id      uuid        not null references extraction_jobs (id) on delete cascade,
    from_status text,
    to_status   text        not null,
    lease_owner text,
    error_code  text,
    at          timestamptz not null default clock_timestamp()
);
create index job_state_transitions_job_idx on job_state_transitions (job_id, id);

create function record_job_transition() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into job_state_transitions (job_id, from_status, to_status, lease_owner)
        values (new.id, null, new.status, new.lease_owner);
    elsif new.status is distinct from old.status then
        insert into job_state_transitions (job_id, from_status, to_status, lease_owner, error_code)
        values (new.id, old.status, new.status, coalesce(new.lease_owner, old.lease_owner), new.error_code);
    end if;
    return new;
end $$;

create trigger extraction_jobs_transition
    after insert or update of status on extraction_jobs
    for each row execute function record_job_transition();

create function touch_updated_at() returns trigger language plpgsql as $$
begin
    new.updated_at = now();
    return new;
end $$;

create trigger extraction_jobs_touch
    before update on extraction_jobs
    for each row execute function touch_updated_at();

-- One result per job: the unique job_id makes a duplicate PERSIST a no-op.
create table extraction_results (
    id         bigserial primary key,
    job_id     uuid        not null unique references extraction_jobs (id) on delete cascade,
    user_id    text        not null,
    extractor  text        not null,
    payload    jsonb       not null,
    created_at timestamptz not null default now()
);
create index extraction_results_user_idx on extraction_results (user_id);

create table extraction_runs (
    id               uuid primary key,
    user_id          text,
    status           text        not null default 'queued'
                     check (status in ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    trigger_type     text        not null,
    considered       integer     not null default 0,
    processed        integer     not null default 0,
    extracted        integer     not null default 0,
    inserted         integer     not null default 0,
    updated          integer     not null default 0,
    points_inserted  integer     not null default 0,
    error_message    text,
    meta             jsonb       not null default '{}'::jsonb,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null default now()
);
create index extraction_runs_status_idx on extraction_runs (status);

-- Transactional outbox: written in the same transaction as the job, relayed to Kafka by api-service.
create table outbox (
    id          bigserial primary key,
    topic       text        not null,
    message_key text        not null,
    payload     text        not null,
    created_at  timestamptz not null default now()
);

-- Named leases for singletons (the sweeper) across replicas.
create table processing_locks (
    name       text primary key,
    owner      text        not null,
    expires_at timestamptz not null
);
