-- The submit path's cost inside PostgreSQL (measured with pg_stat_statements and pgbench, figures in
-- docs/benchmarks.md): every statement of the API checks its tenant through distill_tenant().

-- A SQL function that is security definer is never inlined, and its body was parsed and planned
-- again for every statement that called it (~200 µs of a submission's ~730 µs of database time).
-- PL/pgSQL keeps the plan of its body for the session. Same answer: the claimed user when the
-- proof is its HMAC under the tenant key, else null.
create or replace function distill_tenant() returns text
    language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
    claimed text := nullif(current_setting('distill.user_id', true), '');
begin
    if current_setting('distill.tenant_proof', true)
           = encode(hmac(claimed, (select secret from tenant_key where id = 1), 'sha256'), 'hex') then
        return claimed;
    end if;
    return null;
end $$;

-- Each index is written by every submission. These two repeat the leading column of another
-- (extraction_jobs_user_created_idx, extraction_jobs_status_next_retry_idx), which serves the same
-- lookups; and a message has no stored file, so the file index leaves those rows out.
drop index if exists extraction_jobs_user_idx;
drop index if exists extraction_jobs_status_idx;
drop index if exists extraction_jobs_file_url_idx;
create index extraction_jobs_file_url_idx on extraction_jobs (file_url) where file_url is not null;
