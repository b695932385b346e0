-- Projects (what to extract and how), the typed records the built-in templates produce, and the
-- LLM spend that budgets are checked against.

create table projects (
    id              uuid primary key,
    user_id         text        not null,
    name            text        not null,
    template        text,
    current_version integer     not null default 1,
    deleted_at      timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create unique index projects_user_name_idx on projects (user_id, name) where deleted_at is null;

-- Every version is kept: a job names the version it ran with, so editing a project never changes
-- how an earlier result was produced.
create table project_versions (
    project_id uuid        not null references projects (id) on delete cascade,
    version    integer     not null,
    user_id    text        not null,
    definition jsonb       not null,
    created_at timestamptz not null default now(),
    primary key (project_id, version)
);

alter table extraction_jobs add column project_id uuid references projects (id);
alter table extraction_jobs add column project_version integer;
-- every HTTP request made to the LLM provider for this job, across attempts
alter table extraction_jobs add column llm_calls integer not null default 0;

alter table extraction_results add column project_id uuid;
alter table extraction_results add column project_version integer;
alter table extraction_results add column model text;
alter table extraction_results add column provider_response_id text;
alter table extraction_results add column latency_ms integer;
alter table extraction_results add column prompt_tokens integer;
alter table extraction_results add column completion_tokens integer;
alter table extraction_results add column cost_usd numeric(14, 6);
alter table extraction_results add column telemetry jsonb not null default '{}'::jsonb;

-- LLM spend per user and UTC day: what the daily budget is checked against.
create table llm_spend (
    user_id  text           not null,
    day      date           not null,
    cost_usd numeric(14, 6) not null default 0,
    tokens   bigint         not null default 0,
    calls    integer        not null default 0,
    primary key (user_id, day)
);

-- news-event: one event per fingerprint and user, the messages that created or updated it linked.
create table news_events (
    id                uuid primary key,
    user_id           text        not null,
    project_id        uuid        not null,
    event_fingerprint text        not null,
    topic             text,
    event_time        timestamptz,
    impact_score      numeric(5, 2),
    confidence        numeric(4, 3),
    sentiment         text,
    is_breaking       boolean,
    breaking_window   text,
    payload           jsonb       not null,
    message_count     integer     not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (user_id, project_id, event_fingerprint)
);
create index news_events_user_time_idx on news_events (user_id, event_time desc);

create table news_event_messages (
    event_id uuid        not null references news_events (id) on delete cascade,
    job_id   uuid        not null references extraction_jobs (id) on delete cascade,
    user_id  text        not null,
    action   text        not null check (action in ('create', 'update', 'ignore')),
    linked_at timestamptz not null default now(),
    primary key (event_id, job_id)
);

-- broker-report: deduplicated per user by the project's duplicate key.
create table broker_reports (
    id                uuid primary key,
    user_id           text        not null,
    project_id        uuid        not null,
    duplicate_key     text        not null,
    job_id            uuid        not null references extraction_jobs (id),
    broker            text,
    company_canonical text,
    company_raw       text,
    report_type       text,
    title             text,
    summary           text,
    published_at      timestamptz,
    confidence        numeric(4, 3),
    payload           jsonb       not null,
    seen_count        integer     not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (user_id, project_id, duplicate_key)
);
create index broker_reports_company_idx on broker_reports (user_id, company_canonical, published_at desc);

create table broker_report_points (
    report_id   uuid          not null references broker_reports (id) on delete cascade,
    user_id     text          not null,
    point_order integer       not null,
    point_text  text          not null,
    point_type  text,
    confidence  numeric(4, 3),
    primary key (report_id, point_order)
);

-- drawing: engineering drawings and models.
create table drawings (
    id             uuid primary key,
    user_id        text        not null,
    project_id     uuid        not null,
    job_id         uuid        not null unique references extraction_jobs (id) on delete cascade,
    drawing_number text,
    title          text,
    revision       text,
    scale          text,
    material       text,
    author         text,
    organisation   text,
    payload        jsonb       not null,
    created_at     timestamptz not null default now()
);
create index drawings_number_idx on drawings (user_id, drawing_number);

-- the same tenant isolation as V3 for every new table holding user data
do $$
declare t text;
begin
    foreach t in array array['projects', 'project_versions', 'llm_spend', 'news_events', 'news_event_messages',
                             'broker_reports', 'broker_report_points', 'drawings'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
            using (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on')
            with check (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on')$p$, t);
    end loop;
end $$;

grant select, insert, update, delete on all tables in schema public to ${app_role};
grant usage, select on all sequences in schema public to ${app_role};
revoke all on flyway_schema_history from ${app_role};
