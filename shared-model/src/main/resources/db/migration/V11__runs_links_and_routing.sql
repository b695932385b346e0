-- Runs count what they did and say who asked; jobs link back to the record, field and attachment
-- they came from; a repeated upload is recognised by its content; every routing decision is a row.

-- --- runs: user_id is the user whose jobs the run covers (null: every user's), started_by who started it
alter table extraction_runs add column started_by text;
alter table extraction_runs add column trigger_ref text;
alter table extraction_runs add column error_code text;
update extraction_runs set started_by = user_id, user_id = null where trigger_type = 'manual';
update extraction_runs set trigger_type = 'daily', started_by = 'system' where trigger_type = 'scheduled';
alter table extraction_runs add constraint extraction_runs_trigger_check
    check (trigger_type in ('manual', 'daily', 'cli'));
create index extraction_runs_user_created_idx on extraction_runs (user_id, created_at desc);

-- what a completed job stored: the run adds these up
alter table extraction_jobs add column records_inserted integer not null default 0;
alter table extraction_jobs add column records_updated integer not null default 0;
alter table extraction_jobs add column points_inserted integer not null default 0;

-- --- where a job came from (typed, no longer only inside metadata), and what it read
alter table extraction_jobs add column record_id text;
alter table extraction_jobs add column field_id text;
alter table extraction_jobs add column attachment_id text;
alter table extraction_jobs add column content_sha256 text;
alter table extraction_jobs add column reused_from uuid references extraction_jobs (id);
update extraction_jobs set record_id = metadata ->> 'recordId', field_id = metadata ->> 'fieldId',
    attachment_id = metadata ->> 'attachmentId'
where metadata ?| array['recordId', 'fieldId', 'attachmentId'];
create index extraction_jobs_record_idx on extraction_jobs (user_id, record_id) where record_id is not null;
create index extraction_jobs_attachment_idx on extraction_jobs (user_id, attachment_id) where attachment_id is not null;
create index extraction_jobs_content_idx on extraction_jobs (user_id, content_sha256)
    where content_sha256 is not null and status = 'completed';

-- --- records link back to the run that produced them; points carry their own data and times
alter table broker_reports add column extraction_run_id uuid references extraction_runs (id);
alter table broker_report_points add column meta jsonb not null default '{}'::jsonb;
alter table broker_report_points add column created_at timestamptz not null default now();
alter table broker_report_points add column updated_at timestamptz not null default now();

-- --- per-message values on the link; the event keeps the aggregate
alter table news_event_messages add column topic text;
alter table news_event_messages add column sentiment text;
alter table news_event_messages add column impact_score numeric(5, 2);
alter table news_event_messages add column event_time timestamptz;
alter table news_event_messages add column is_breaking boolean;
alter table news_events add column first_seen_at timestamptz not null default now();
alter table news_events add column last_seen_at timestamptz not null default now();
alter table news_events add column latest_sentiment text;
update news_events set first_seen_at = created_at, last_seen_at = updated_at, latest_sentiment = sentiment;

-- every routing decision: what the model proposed, what the store decided and why
create table routing_decisions (
    id          bigserial primary key,
    user_id     text        not null,
    job_id      uuid        not null references extraction_jobs (id) on delete cascade,
    event_id    uuid references news_events (id) on delete cascade,
    proposed    text,
    decided     text        not null check (decided in ('create', 'update', 'ignore')),
    reason      text        not null,
    fingerprint text        not null,
    decided_at  timestamptz not null default now()
);
create index routing_decisions_job_idx on routing_decisions (job_id);
create index routing_decisions_event_idx on routing_decisions (event_id, decided_at);

alter table routing_decisions enable row level security;
alter table routing_decisions force row level security;
create policy tenant_isolation on routing_decisions
    using (user_id = (select distill_tenant()) or current_user = '${admin_role}')
    with check (user_id = (select distill_tenant()) or current_user = '${admin_role}');
-- users read their decisions through the API (the worker, as the schema owner, writes them)
grant select on routing_decisions to ${app_role};
