-- Users of the local token issuer, per-user rate limits, and row-level security on tenant tables.

create table local_users (
    username      text primary key,
    password_hash text        not null,
    created_at    timestamptz not null default now()
);

-- fixed one-minute windows, shared by every API replica
create table rate_limits (
    user_id      text        not null,
    window_start timestamptz not null,
    hits         integer     not null,
    primary key (user_id, window_start)
);

-- Tenant tables: a row is visible only inside a transaction that named its user
-- (set_config('distill.user_id', …, true)) or declared an admin operation (distill.admin = on).
-- FORCE: the table owner is bound too. Workers connect with a BYPASSRLS role.
alter table extraction_jobs enable row level security;
alter table extraction_jobs force row level security;
create policy tenant_isolation on extraction_jobs
    using (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on')
    with check (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on');

alter table extraction_results enable row level security;
alter table extraction_results force row level security;
create policy tenant_isolation on extraction_results
    using (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on')
    with check (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on');

alter table extraction_runs enable row level security;
alter table extraction_runs force row level security;
create policy tenant_isolation on extraction_runs
    using (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on')
    with check (user_id = current_setting('distill.user_id', true) or current_setting('distill.admin', true) = 'on');

-- the application role (created by the database administrator, or by the local stack and tests):
-- no ownership, no BYPASSRLS
grant select, insert, update, delete on all tables in schema public to ${app_role};
grant usage, select on all sequences in schema public to ${app_role};
revoke all on flyway_schema_history from ${app_role};
