// Shared helpers for the peer job-queue harnesses (pgboss.mjs, graphile.mjs, bullmq.mjs).
//
// Every harness runs the same three phases against its library:
//   a) enqueue: one producer, single-add API, `--in-flight` adds outstanding, N jobs, no worker running;
//   b) drain:   start a worker with a no-op handler at `--concurrency`, time until all N jobs are completed;
//   c) latency: worker running on an idle queue, a sequential stream of min(N, 2000) single adds, each payload
//               carrying its add time (performance.now(): producer and worker share this process, so one
//               monotonic clock); the handler records start - addTime.
// stdout carries exactly one JSON line (result or {"peer","error"}); everything else goes to stderr.
// Node: pg-boss 12.x declares engines node >=22.12 and graphile-worker 0.18 node >=22.18; npm only warns (EBADENGINE)
// and both ran fine on Debian's Node 20.20 when these harnesses were written.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

// Libraries (graphile-worker's default logger, stray console.log calls) must not pollute stdout.
console.log = console.info = console.debug = (...args) => console.error(...args);

export const now = () => performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const log = (...args) => console.error(`[${PEER}]`, ...args);
export const uniqueSuffix = () => `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

let PEER = 'peer';
let cleanupFn = async () => {};
let finished = false;

export function version(pkg) {
  const url = new URL(`./node_modules/${pkg}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}

export function parseArgs(peer, argv = process.argv.slice(2)) {
  PEER = peer;
  const opts = { url: null, jobs: 2000, concurrency: 32, payloadBytes: 1024, inFlight: 32, timeLimitSeconds: 300 };
  const names = { '--url': 'url', '--jobs': 'jobs', '--concurrency': 'concurrency', '--payload-bytes': 'payloadBytes',
    '--in-flight': 'inFlight', '--time-limit-seconds': 'timeLimitSeconds' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) usage(`bad argument ${argv[i]}`);
    opts[key] = key === 'url' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (!opts.url) usage('--url is required');
  for (const k of ['jobs', 'concurrency', 'payloadBytes', 'inFlight', 'timeLimitSeconds']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1) usage(`${k} must be a positive integer`);
  }
  // Global time limit: report and exit non-zero, whatever phase we are in.
  setTimeout(() => fail(new Error('time limit'), { quiet: true }), opts.timeLimitSeconds * 1000);
  process.on('unhandledRejection', (err) => fail(err));
  process.on('uncaughtException', (err) => fail(err));
  opts.latencyJobs = Math.min(opts.jobs, 2000);
  return opts;
}

function usage(message) {
  console.error(`[${PEER}] ${message}; usage: --url U --jobs N --concurrency C --payload-bytes B --in-flight K --time-limit-seconds S`);
  process.stdout.write(JSON.stringify({ peer: PEER, error: message }) + '\n');
  process.exit(2);
}

/** Registers the function that stops workers, closes connections and drops the run's schema / queue. */
export function onCleanup(fn) { cleanupFn = fn; }

/** Best-effort cleanup (capped at 5 s), an error line on stdout, a message on stderr, exit 1. */
export async function fail(err, { quiet = false } = {}) {
  if (finished) return;
  finished = true;
  const message = err?.message ?? String(err);
  console.error(`[${PEER}] FAILED: ${quiet ? message : err?.stack ?? message}`);
  await Promise.race([cleanupFn().catch((e) => console.error(`[${PEER}] cleanup failed: ${e.message}`)), sleep(5000)]);
  process.stdout.write(JSON.stringify({ peer: PEER, error: message }) + '\n');
  process.exit(1);
}

export async function succeed(result) {
  if (finished) return;
  await cleanupFn();
  finished = true;
  process.stdout.write(JSON.stringify({ peer: PEER, ...result }) + '\n');
  process.exit(0);
}

/** A JSON payload of about `bytes` bytes once serialised: the given fields plus padding. */
export function payload(bytes, fields) {
  const base = JSON.stringify({ ...fields, pad: '' }).length;
  return { ...fields, pad: 'x'.repeat(Math.max(0, bytes - base)) };
}

/** Runs fn(0..n-1) with at most `inFlight` calls outstanding (a simple async pool). */
export async function pool(n, inFlight, fn) {
  let next = 0;
  const lane = async () => { while (next < n) await fn(next++); };
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, lane));
}

/** Polls `cond` every `everyMs` until it returns true. */
export async function waitFor(cond, everyMs = 2) {
  while (!(await cond())) await sleep(everyMs);
}

/** Nearest-rank percentile of an unsorted array of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const perSecond = (count, ms) => round(count / (ms / 1000));
export const round = (x, digits = 3) => (x == null ? null : Number(x.toFixed(digits)));

/**
 * The three phases, library-agnostic. The harness supplies:
 *   add(data)        -> Promise   single add of one job
 *   startWorker(h)   -> Promise   start the no-op worker at --concurrency; h(data) must be called when a job starts
 *   unfinished()     -> Promise<number>  jobs not yet completed, as the library's store reports them
 */
export async function runPhases(opts, { add, startWorker, unfinished }) {
  const { jobs, inFlight, payloadBytes, latencyJobs } = opts;
  const body = payload(payloadBytes, { i: 0 });

  // a) enqueue
  log(`enqueue ${jobs} jobs, ${inFlight} in flight`);
  let t0 = now();
  await pool(jobs, inFlight, (i) => add({ ...body, i }));
  const enqueueMs = now() - t0;

  // b) drain, timed like Distill's own figure (jobs / (last completion - first start)), so worker start-up is not
  //    counted: the clock starts when the first job starts; after the last job has started, the store is polled
  //    until it reports nothing unfinished.
  let started = 0;
  let firstStart = null;
  const latencies = [];
  let lastStarted;
  const allStarted = new Promise((resolve) => { lastStarted = resolve; });
  const handler = (data) => {
    if (typeof data.t === 'number') latencies.push(now() - data.t);
    else {
      firstStart ??= now();
      if (++started === jobs) lastStarted();
    }
  };
  log(`drain at concurrency ${opts.concurrency}`);
  await startWorker(handler);
  await allStarted;
  await waitFor(async () => (await unfinished()) === 0);
  const drainMs = now() - firstStart;

  // c) add -> start latency, one add at a time on the now idle queue
  log(`latency: ${latencyJobs} sequential adds`);
  await sleep(200);
  for (let i = 0; i < latencyJobs; i++) await add(payload(payloadBytes, { t: now() }));
  await waitFor(() => latencies.length >= latencyJobs, 5);

  return {
    jobs,
    concurrency: opts.concurrency,
    enqueuePerSecond: perSecond(jobs, enqueueMs),
    drainPerSecond: perSecond(jobs, drainMs),
    latencyP50Ms: round(percentile(latencies, 50)),
    latencyP99Ms: round(percentile(latencies, 99)),
    latencySamples: latencies.length,
  };
}
