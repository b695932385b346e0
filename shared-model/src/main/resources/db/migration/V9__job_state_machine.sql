-- One job state machine: the database refuses every status change JobStatus does not allow, whoever
-- writes it, and an attempt reserves a block of event sequence numbers so that the progress events
-- it publishes without writing the row stay below whatever comes after it.

-- A job starts pending; each change of status must be one JobStatus.successors() allows.
create function refuse_illegal_transition() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if new.status <> 'pending' then
            raise exception 'a job starts pending, not %', new.status using errcode = '23514';
        end if;
    elsif new.status is distinct from old.status and (old.status, new.status) not in (
            ('pending', 'processing'), ('pending', 'cancelled'), ('pending', 'failed'),
            ('processing', 'completed'), ('processing', 'failed'), ('processing', 'cancelled'), ('processing', 'pending'),
            ('failed', 'pending')) then
        raise exception 'a job cannot go from % to %', old.status, new.status using errcode = '23514';
    end if;
    return new;
end $$;

create trigger extraction_jobs_legal_transition
    before insert or update of status on extraction_jobs
    for each row execute function refuse_illegal_transition();

-- the highest sequence number the current (or last) attempt may have published
alter table extraction_jobs add column seq_reserved bigint not null default 0;
