-- After every migration (so rotating distill.db.tenant-key takes effect at the next start): the
-- database's copy of the tenant key, readable by the schema owner only.
insert into tenant_key (id, secret) values (1, '${tenant_key}')
on conflict (id) do update set secret = excluded.secret;
