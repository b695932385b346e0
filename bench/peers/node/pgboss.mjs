// pg-boss peer: node pgboss.mjs --url postgres://... --jobs N --concurrency C --payload-bytes 1024 --in-flight 32 --time-limit-seconds S
//
// Settings (pg-boss docs: docs/api/constructor.md, docs/api/queues.md, docs/api/workers.md at pgboss.io):
// - One PgBoss instance with its built-in `pg` pool at the documented default size (max: 10), used by both the
//   producer and the worker, as in the README. A fresh `schema` per run (pg-boss creates and migrates it in
//   start()); it is dropped at the end.
// - Queues must be created before use since v10: createQueue(name, { notify: true }).
// - Low latency: `useListenNotify: true` + queue `notify: true`, the documented opt-in ("Low-latency dispatch with
//   LISTEN/NOTIFY") that wakes workers when a job is created instead of waiting out pollingIntervalSeconds
//   (default 2 s, minimum 0.5 s).
// - Concurrency C: work() with batchSize C and burstWhenBatchFull: true; the batch handler runs the C jobs
//   concurrently. The documented alternative, localConcurrency C with batchSize 1, fetches one job per worker and
//   then sleeps the polling interval (burst is "ignored when batchSize is 1"), i.e. at most C jobs per 0.5-2 s, so
//   it cannot drain a backlog. burstWhenBatchFull keeps fetching while fetches come back full.
// - Single-add API: send(name, data), no insert() batch API.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { log, onCleanup, parseArgs, runPhases, succeed, uniqueSuffix, version } from './common.mjs';

const opts = parseArgs('pg-boss');
const schema = `pgboss_bench_${uniqueSuffix()}`;
const queue = 'bench';

const boss = new PgBoss({ connectionString: opts.url, schema, useListenNotify: true });
boss.on('error', (err) => log('error event:', err.message));
boss.on('warning', (w) => log('warning event:', w.message ?? JSON.stringify(w)));

onCleanup(async () => {
  await boss.stop({ graceful: true, timeout: 5000 }).catch((e) => log('stop:', e.message));
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await client.end(); }
});

await boss.start();
await boss.createQueue(queue, { notify: true });
const db = boss.getDb();

const result = await runPhases(opts, {
  add: (data) => boss.send(queue, data),
  startWorker: (handler) => boss.work(queue, { batchSize: opts.concurrency, burstWhenBatchFull: true },
    async (jobs) => { await Promise.all(jobs.map(async (job) => handler(job.data))); }),
  // docs/sql/job-table.md: the job table (partitioned by queue name) with its state column
  unfinished: async () => Number((await db.executeSql(
    `SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [queue]))
    .rows[0].n),
});

await succeed({
  version: version('pg-boss'),
  ...result,
  settings: `pg pool max 10 (default) shared by producer+worker; send() single adds; useListenNotify + queue notify; ` +
    `work(batchSize=${opts.concurrency}, burstWhenBatchFull, localConcurrency=1), batch handler runs jobs concurrently; ` +
    `fresh schema ${schema.replace(/_[^_]+_[^_]+$/, '_*')}`,
});
