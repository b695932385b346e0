// BullMQ peer: node bullmq.mjs --url redis://host:port --jobs N --concurrency C --payload-bytes 1024 --in-flight 32 --time-limit-seconds S
//
// Settings (BullMQ docs: docs.bullmq.io guide/connections, guide/going-to-production, guide/workers/concurrency):
// - Client: ioredis, which BullMQ uses by default when given connection options ("By default, BullMQ creates
//   connections with ioredis"); since BullMQ 6 ioredis is an optional peer dependency, so it is pinned here.
// - Producer: a Queue with its own connection and enableOfflineQueue: false ("disable this queue for the Queue
//   instance ... fail quickly"), queue.add(name, data) single adds (no addBulk).
// - Worker: its own connection options; BullMQ forces maxRetriesPerRequest: null for Workers (the docs require it;
//   passing an ioredis instance without it makes BullMQ warn/throw). concurrency C.
// - Auto-removal as going-to-production recommends ("keep a handful of completed jobs"): removeOnComplete
//   { count: 1000 }. Redis itself must run with maxmemory-policy noeviction (the redis-server default).
// - A fresh queue name per run, obliterated at the end.
import { Queue, Worker } from 'bullmq';
import { log, onCleanup, parseArgs, runPhases, succeed, uniqueSuffix, version } from './common.mjs';

const opts = parseArgs('bullmq');
const url = new URL(opts.url);
if (url.protocol !== 'redis:') throw new Error(`--url must be redis://host:port, got ${opts.url}`);
const connection = {
  host: url.hostname || '127.0.0.1',
  port: Number(url.port || 6379),
  ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
};
const name = `bench-${uniqueSuffix()}`;

const queue = new Queue(name, {
  connection: { ...connection, enableOfflineQueue: false },
  defaultJobOptions: { removeOnComplete: { count: 1000 } },
});
queue.on('error', (err) => log('queue error:', err.message));
let worker = null;

onCleanup(async () => {
  if (worker) await worker.close().catch((e) => log('worker.close:', e.message));
  await queue.obliterate({ force: true }).catch((e) => log('obliterate:', e.message));
  await queue.close();
});

// ioredis retries a refused connection forever; fail fast instead if Redis is not there at start-up
await Promise.race([queue.waitUntilReady(), new Promise((_, reject) => queue.once('error', reject))]);

const result = await runPhases(opts, {
  add: (data) => queue.add('bench', data),
  startWorker: async (handler) => {
    worker = new Worker(name, async (job) => { handler(job.data); }, { connection, concurrency: opts.concurrency });
    worker.on('error', (err) => log('worker error:', err.message));
    worker.on('failed', (job, err) => log('job failed:', err.message));
    await worker.waitUntilReady();
  },
  unfinished: async () => {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  },
});

await succeed({
  version: version('bullmq'),
  ...result,
  settings: `ioredis ${version('ioredis')} (default client); Queue enableOfflineQueue=false, add() single adds, ` +
    `removeOnComplete {count:1000}; Worker concurrency=${opts.concurrency}, maxRetriesPerRequest=null (forced); fresh queue name`,
});
