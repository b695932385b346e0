-- The provider's request rate, shared by every worker: one token bucket per provider, in a row.
-- Each call reserves the next slot (tokens may go negative: that is the wait of whoever reserved it).
create table llm_rate_buckets (
    name         text primary key,
    tokens       double precision not null,
    refreshed_at timestamptz      not null
);
