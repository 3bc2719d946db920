// Open-loop load generator (scenario 11): requests leave on a fixed schedule whatever the answers,
// on as many keep-alive connections as that takes, and each latency counts from the moment the
// request was due. A stall of the server is then charged to every request due during it, as users
// arriving on their own would see it; the closed loop of http-load.ts charges it only to the
// requests in flight (coordinated omission).
import http from 'node:http';
import { serveIpc } from '../lib/ipc.js';
import type { LoadResult } from '../lib/load.js';
import type { OpenLoadSpec } from '../lib/open-load.js';
import { summarize } from '../lib/stats.js';

const TIMEOUT_MS = 10_000;

function run(spec: OpenLoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.maxConnections });
  const total = Math.round(spec.rate * spec.durationS);
  const everyMs = 1000 / spec.rate;
  const latencies = new Float64Array(total);
  let ok = 0;
  let answered = 0;
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let sent = 0;
  const started = performance.now();
  return new Promise((resolve) => {
    const settle = () => {
      if (++answered < total) return;
      clearInterval(timer);
      agent.destroy();
      const latency = summarize(latencies.subarray(0, ok));
      resolve({ requests: ok, rps: ok / ((performance.now() - started) / 1000), p50: latency.p50, p99: latency.p99, max: latency.max, errors, timeouts, non2xx });
    };
    const fire = (due: number) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: spec.method, headers: spec.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) latencies[ok++] = performance.now() - due;
          else non2xx++;
          settle();
        });
      });
      let timedOut = false;
      req.setTimeout(TIMEOUT_MS, () => {
        timedOut = true;
        req.destroy(new Error('timed out'));
      });
      // A timeout ends in an error too: counted once, as a timeout.
      req.on('error', () => {
        if (timedOut) timeouts++;
        else errors++;
        settle();
      });
      req.end(spec.body);
    };
    // Every millisecond, whatever is due leaves: a late tick sends its backlog, each timed from when it was due.
    const timer = setInterval(() => {
      const now = performance.now();
      while (sent < total && started + sent * everyMs <= now) fire(started + sent++ * everyMs);
    }, 1);
  });
}

serveIpc({ run: (spec: OpenLoadSpec) => run(spec) }, { pid: process.pid });
