-- Roles of a one-host deployment (docker-compose.yml). The container's POSTGRES_USER owns the
-- schema and runs Flyway through the API; the API and the gateway use distill_api (row-level
-- security holds, with the tenant key's proofs), the API's admin operations distill_admin, the
-- workers distill_worker (BYPASSRLS: they serve every user).
create role distill_api login password 'distill_api';
-- admin operations of the API (runs, the outbox relay, accounts): row security admits this role by name
create role distill_admin login password 'distill_admin';
create role distill_worker login password 'distill_worker' bypassrls;
alter default privileges in schema public grant select, insert, update, delete on tables to distill_worker;
alter default privileges in schema public grant usage, select on sequences to distill_worker;
