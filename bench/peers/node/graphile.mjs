// graphile-worker peer: node graphile.mjs --url postgres://... --jobs N --concurrency C --payload-bytes 1024 --in-flight 32 --time-limit-seconds S
//
// Settings (graphile-worker docs: worker.graphile.org/docs/config, /docs/performance, /docs/library/*):
// - Producer: makeWorkerUtils() with its own `pg` pool at the default maxPoolSize (10) and addJob(task, payload),
//   the single-add API (no addJobs / list-payload batch mode). utils.migrate() first: the schema (and its add_job
//   function) must exist before the first addJob; run() would migrate too, but the worker starts only later.
// - Worker: run() with taskList, concurrentJobs C and maxPoolSize max(10, C + 2), as the maxPoolSize doc
//   recommends ("10 or concurrentJobs + 2, whichever is larger").
// - Batching as the Performance page recommends for high-throughput queues: localQueue.size C + 1 ("sensible
//   default ... one more than concurrency"), completeJobBatchDelay / failJobBatchDelay 0 ("we'd advise all users to
//   enable these settings, even if they are set to 0 for minimal delay"; 0 rather than 250 so completions are not
//   held back 250 ms, which would be charged to the drain time).
// - New jobs are announced by LISTEN/NOTIFY (built in); pollInterval stays at its default (2 s).
// - A fresh `schema` per run, dropped at the end. Logs go to stderr through a custom Logger.
import pg from 'pg';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import { log, onCleanup, parseArgs, runPhases, succeed, uniqueSuffix, version } from './common.mjs';

const opts = parseArgs('graphile-worker');
const schema = `gw_bench_${uniqueSuffix()}`;
const task = 'bench';
// graphile-worker logs every completed job at info level; keep only warnings and errors (on stderr) so logging
// does not skew the figures.
const logger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`[graphile-worker] ${level}: ${message}`);
});

const utils = await makeWorkerUtils({ connectionString: opts.url, schema, logger });
let runner = null;

onCleanup(async () => {
  if (runner) await runner.stop().catch((e) => log('runner.stop:', e.message));
  await utils.release().catch((e) => log('utils.release:', e.message));
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await client.end(); }
});

await utils.migrate();

const result = await runPhases(opts, {
  add: (data) => utils.addJob(task, data),
  startWorker: async (handler) => {
    runner = await run({
      connectionString: opts.url,
      schema,
      logger,
      noHandleSignals: true,
      concurrency: opts.concurrency,
      taskList: { [task]: async (data) => { handler(data); } },
      preset: {
        worker: {
          maxPoolSize: Math.max(10, opts.concurrency + 2),
          localQueue: { size: opts.concurrency + 1 },
          completeJobBatchDelay: 0,
          failJobBatchDelay: 0,
        },
      },
    });
  },
  // the documented `jobs` view; completed jobs are deleted, so anything left is unfinished (queued/locked/failed)
  unfinished: () => utils.withPgClient(async (client) =>
    (await client.query(`SELECT count(*)::int AS n FROM ${schema}.jobs`)).rows[0].n),
});

await succeed({
  version: version('graphile-worker'),
  ...result,
  settings: `producer makeWorkerUtils (pool 10) addJob() single adds; run() concurrentJobs=${opts.concurrency}, ` +
    `maxPoolSize=${Math.max(10, opts.concurrency + 2)}, localQueue.size=${opts.concurrency + 1}, ` +
    `completeJobBatchDelay=0, failJobBatchDelay=0, LISTEN/NOTIFY, pollInterval 2000 (default); fresh schema`,
});
