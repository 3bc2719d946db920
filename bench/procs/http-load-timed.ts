// Load generator process for scenario 7: the same autocannon load as http-load.ts, but started and
// stopped on command, with every response's start and end time kept, so that the orchestrator can
// read the latencies of the requests in flight during a window it only knows afterwards.
import autocannon from 'autocannon';
import { serveIpc } from '../lib/ipc.js';
import type { LoadResult } from '../lib/load.js';
import { summarize } from '../lib/stats.js';
import type { TimedLoadSpec, Window } from '../lib/timed-load.js';
import { epochNow as now } from '../lib/timed-load.js';

/** Enough for ~10 minutes at 3,000 req/s; past this, samples are dropped. */
const MAX_SAMPLES = 2_000_000;
/** Longer than any window: the load runs until stopped. */
const LONGEST_S = 600;

interface Running {
  instance: autocannon.Instance;
  finished: Promise<void>;
  starts: Float64Array;
  ends: Float64Array;
  ok: Uint8Array;
  n: number;
  errorsAt: number[];
  timeoutsAt: number[];
}

let running: Running | null = null;

function start(spec: TimedLoadSpec): boolean {
  if (running) throw new Error('a load is already running');
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const instance = autocannon(
    { url: spec.url, method: 'POST', headers: spec.headers, body: spec.body, connections: spec.connections, duration: LONGEST_S, pipelining: 1, timeout: 10 },
    () => done(),
  );
  const r: Running = { instance, finished, starts: new Float64Array(MAX_SAMPLES), ends: new Float64Array(MAX_SAMPLES), ok: new Uint8Array(MAX_SAMPLES), n: 0, errorsAt: [], timeoutsAt: [] };
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (r.n >= MAX_SAMPLES) return;
    const end = now();
    r.starts[r.n] = end - responseTime;
    r.ends[r.n] = end;
    r.ok[r.n] = statusCode >= 200 && statusCode < 300 ? 1 : 0;
    r.n++;
  });
  instance.on('reqError', (err: unknown) => {
    const at = now();
    r.errorsAt.push(at);
    if (err instanceof Error && err.message === 'request timed out') r.timeoutsAt.push(at);
  });
  running = r;
  return true;
}

/** The requests in flight at some moment of [from, to]: started before its end, answered after its start. */
function inWindow(r: Running, [from, to]: Window): LoadResult {
  const latencies: number[] = [];
  let non2xx = 0;
  for (let i = 0; i < r.n; i++) {
    const s = r.starts[i] as number;
    const e = r.ends[i] as number;
    if (s > to || e < from) continue;
    if (r.ok[i]) latencies.push(e - s);
    else non2xx++;
  }
  const latency = summarize(latencies);
  const within = (at: number) => at >= from && at <= to;
  return {
    requests: latencies.length,
    rps: latencies.length / Math.max((to - from) / 1000, 1e-3),
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    errors: r.errorsAt.filter(within).length,
    timeouts: r.timeoutsAt.filter(within).length,
    non2xx,
  };
}

// Not `stop`: serveIpc keeps that command for ending the process.
async function finish(windows: Window[]): Promise<LoadResult[]> {
  const r = running;
  if (!r) throw new Error('no load running');
  r.instance.stop();
  await r.finished;
  running = null;
  return windows.map((w) => inWindow(r, w));
}

serveIpc({ start: (spec: TimedLoadSpec) => start(spec), finish: (a: { windows: Window[] }) => finish(a.windows) }, { pid: process.pid }, async () => {
  running?.instance.stop();
});
