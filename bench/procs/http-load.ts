// Load generator process: autocannon (keep-alive connections, no pipelining). Autocannon's own
// histogram rounds to whole milliseconds, so every response time is also kept here exactly.
import autocannon from 'autocannon';
import { serveIpc } from '../lib/ipc.js';
import type { LoadResult, LoadSpec } from '../lib/load.js';
import { summarize } from '../lib/stats.js';

/** Enough for ~60 s at 40k req/s; past this, samples are dropped (counts stay exact). */
const MAX_SAMPLES = 2_500_000;

async function run(spec: LoadSpec): Promise<LoadResult> {
  const samples = new Float64Array(MAX_SAMPLES);
  let n = 0;
  const started = performance.now();
  let finish: (err: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result));
  });
  // The callback form returns the instance, whose per-response events carry exact times.
  const instance = autocannon({
    url: spec.url,
    method: spec.method ?? 'POST',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.durationS,
    pipelining: 1,
    timeout: 10,
  }, (err: unknown, result: autocannon.Result) => finish(err, result));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300 && n < MAX_SAMPLES) samples[n++] = responseTime;
  });
  const result = await finished;
  const elapsedS = (performance.now() - started) / 1000;
  const latency = summarize(samples.subarray(0, n));
  const ok = result['2xx'];
  return {
    requests: ok,
    rps: ok / Math.max(elapsedS, spec.durationS),
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

serveIpc({ run: (spec: LoadSpec) => run(spec) }, { pid: process.pid });
