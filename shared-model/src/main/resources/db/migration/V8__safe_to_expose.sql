-- Safe to expose: tenancy that a session cannot claim by setting a variable, admin operations under
-- their own role, the application role reduced to the grants it uses, operator-made admins,
-- login and registration throttling, token-bucket rate limits, poison-job bookkeeping and LLM
-- budget reservations.

-- --- Tenancy: distill.user_id counts only with its proof, HMAC-SHA256(user id) under a key the
-- application role cannot read (the API writes it after each migration: afterMigrate.sql).
create extension if not exists pgcrypto;

create table tenant_key (
    id     integer primary key check (id = 1),
    secret text    not null
);
revoke all on tenant_key from public;

create function distill_tenant() returns text
    language sql stable security definer set search_path = public, pg_temp as $$
    select claimed.user_id
    from (select nullif(current_setting('distill.user_id', true), '') as user_id) claimed
    where current_setting('distill.tenant_proof', true)
          = encode(hmac(claimed.user_id, (select secret from tenant_key where id = 1), 'sha256'), 'hex')
$$;
revoke all on function distill_tenant() from public;
grant execute on function distill_tenant() to ${app_role}, ${admin_role};

-- every table holding user data: its own rows with a proven tenant, or the admin role
do $$
declare t text;
begin
    foreach t in array array['extraction_jobs', 'extraction_results', 'extraction_runs', 'projects', 'project_versions',
                             'llm_spend', 'news_events', 'news_event_messages', 'broker_reports', 'broker_report_points',
                             'drawings'] loop
        execute format('drop policy tenant_isolation on %I', t);
        execute format($p$create policy tenant_isolation on %I
            using (user_id = (select distill_tenant()) or current_user = %L)
            with check (user_id = (select distill_tenant()) or current_user = %L)$p$, t, '${admin_role}', '${admin_role}');
    end loop;
end $$;

-- the state history is written by the trigger alone, whoever changes a job
alter function record_job_transition() security definer;
alter function record_job_transition() set search_path = public, pg_temp;

-- a project version never changes once written: jobs name the version they ran with
create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% rows are immutable', tg_table_name using errcode = 'P0001';
end $$;
create trigger project_versions_immutable before update on project_versions
    for each row execute function refuse_change();

-- --- Local accounts: names case-folded and unique; roles granted by an operator, never by name.
alter table local_users add column roles text[] not null default array['user']::text[];
with ranked as (
    select username, lower(username) as folded,
           row_number() over (partition by lower(username) order by created_at, username) as n
    from local_users)
update local_users u set username = case when r.n = 1 then r.folded else r.folded || '-' || r.n end
from ranked r
where u.username = r.username and u.username <> (case when r.n = 1 then r.folded else r.folded || '-' || r.n end);
alter table local_users add constraint local_users_folded check (username = lower(username));

-- failed sign-ins and sign-ups per account and per client address: back-off shared by every replica
create table auth_throttle (
    key           text primary key,
    attempts      integer     not null default 0,
    window_start  timestamptz not null default now(),
    blocked_until timestamptz
);

-- --- Submission rate: one token bucket per user; API replicas take tokens in blocks.
drop table rate_limits;
create table rate_buckets (
    user_id      text primary key,
    tokens       double precision not null,
    refreshed_at timestamptz      not null
);

-- Refills the bucket, grants up to p_wanted whole tokens; wait_ms says when one more will be there.
create function take_rate_tokens(p_user text, p_capacity double precision, p_per_second double precision, p_wanted integer)
    returns table (granted integer, wait_ms bigint)
    language plpgsql as $$
declare
    available double precision;
    at_time   timestamptz := clock_timestamp();
begin
    insert into rate_buckets as b (user_id, tokens, refreshed_at) values (p_user, p_capacity, at_time)
    on conflict (user_id) do update
        set tokens = least(p_capacity, b.tokens + extract(epoch from at_time - b.refreshed_at) * p_per_second),
            refreshed_at = at_time
    returning b.tokens into available;
    granted := greatest(0, least(p_wanted, floor(available)::integer));
    update rate_buckets set tokens = available - granted where user_id = p_user;
    wait_ms := case when granted > 0 then 0
                    else ceil((1 - (available - granted)) / p_per_second * 1000)::bigint end;
    return next;
end $$;

-- --- Poison jobs: how often a job's lease expired under it (its worker died or hung each time).
alter table extraction_jobs add column lease_expiries integer not null default 0;

-- --- LLM budget: reserved before the calls, settled after (what a job reserved, to release it).
alter table llm_spend add column reserved_usd numeric(14, 6) not null default 0;
alter table extraction_jobs add column llm_reserved_usd numeric(14, 6) not null default 0;

-- --- Grants: the application role holds only what the API and the gateway use, under row security.
revoke all on all tables in schema public from ${app_role};
revoke all on all sequences in schema public from ${app_role};
grant select, insert, update on extraction_jobs to ${app_role};
grant select on extraction_results, news_events, news_event_messages, broker_reports, broker_report_points, drawings,
    llm_spend to ${app_role};
grant select, insert, update on projects to ${app_role};
grant select, insert on project_versions to ${app_role};
grant insert on outbox to ${app_role};
-- the id only (an insert that returns it): never the messages
grant select (id) on outbox to ${app_role};
grant usage on sequence outbox_id_seq to ${app_role};

-- the admin role: runs, the daily schedule, the outbox relay, accounts, limits (row security admits it)
revoke all on all tables in schema public from ${admin_role};
grant select, insert, update, delete on extraction_jobs, extraction_runs, outbox, processing_locks, local_users,
    auth_throttle, rate_buckets to ${admin_role};
grant select on extraction_results, llm_spend, projects, project_versions to ${admin_role};
grant usage, select on all sequences in schema public to ${admin_role};
grant execute on function take_rate_tokens(text, double precision, double precision, integer) to ${admin_role};
revoke all on flyway_schema_history from ${admin_role};
