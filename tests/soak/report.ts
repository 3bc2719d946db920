// The soak's report: the figures a run measured, and their printed form.

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SoakReport {
  clients: number;
  warmupSeconds: number;
  seconds: number;
  iterations: number;
  requests: number;
  requestsPerSecond: number;
  latency: LatencyFigures;
  byOperation: Record<string, LatencyFigures>;
  socketsOpened: number;
  kicks: number;
  /** Requests and sockets that did not answer as the model said: a few examples of each kind, and the count. */
  failures: string[];
  failureCount: number;
  revokedChecked: number;
  liveChecked: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  registryAfter: { connections: number; sessions: number; users: number; streams: number };
  socketsAfter: number;
}


function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function figures(values: number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: Math.round(percentile(sorted, 50) * 10) / 10, p99Ms: Math.round(percentile(sorted, 99) * 10) / 10 };
}

export function formatReport(r: SoakReport): string {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const growth = ((r.heapAfterBytes / r.heapBeforeBytes - 1) * 100).toFixed(1);
  const ops = Object.entries(r.byOperation).map(([op, f]) => `  ${op.padEnd(20)} ${String(f.count).padStart(6)}  p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms`);
  return [
    `clients ${r.clients}, ${r.seconds} s after a ${r.warmupSeconds} s warm-up, ${r.iterations} rounds`,
    `requests ${r.requests} (${r.requestsPerSecond} req/s), p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms`,
    ...ops,
    `sockets opened ${r.socketsOpened}, kicked with 4403 ${r.kicks}`,
    `verified afterwards: ${r.revokedChecked} revoked sessions refused, ${r.liveChecked} live sessions accepted`,
    `heap before ${mib(r.heapBeforeBytes)}, after ${mib(r.heapAfterBytes)} (${growth}%)`,
    `registry after ${JSON.stringify(r.registryAfter)}, open sockets ${r.socketsAfter}`,
    `failures ${r.failureCount === 0 ? 'none' : `${r.failureCount}\n  ${r.failures.join('\n  ')}`}`,
  ].join('\n');
}
