// HTTP load from a process of its own (bench/procs/http-load.ts), so that the load generator's
// CPU is never the measured server's.
import type { Proc } from './proc.js';
import { spawnProc } from './proc.js';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  /** Milliseconds, exact (not bucketed). */
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface LoadGenerator {
  pid: number;
  run(spec: LoadSpec): Promise<LoadResult>;
  stop(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const proc: Proc<{ pid: number }> = await spawnProc('http-load', 'bench/procs/http-load.ts', {});
  return {
    pid: proc.pid,
    run: (spec) => proc.call<LoadResult>('run', spec, (spec.durationS + 60) * 1000),
    stop: () => proc.stop(),
  };
}

/** A load run counts only if every response was a 2xx and nothing failed. */
export function assertClean(what: string, r: LoadResult): void {
  if (r.requests === 0 || r.errors > 0 || r.non2xx > 0 || r.timeouts > 0) {
    throw new Error(`${what}: ${r.requests} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
}
