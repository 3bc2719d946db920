// The open-loop load generator's process (bench/procs/open-load.ts): a fixed request rate, each
// latency from when the request was due.
import type { LoadResult } from './load.js';
import type { Proc } from './proc.js';
import { spawnProc } from './proc.js';

export interface OpenLoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Requests per second, sent on schedule whatever the answers. */
  rate: number;
  durationS: number;
  /** Keep-alive connections at most; a request due while all are busy waits (and is timed from when it was due). */
  maxConnections: number;
}

export interface OpenLoadGenerator {
  pid: number;
  run(spec: OpenLoadSpec): Promise<LoadResult>;
  stop(): Promise<void>;
}

export async function startOpenLoad(): Promise<OpenLoadGenerator> {
  const proc: Proc<{ pid: number }> = await spawnProc('open-load', 'bench/procs/open-load.ts', {});
  return { pid: proc.pid, run: (spec) => proc.call<LoadResult>('run', spec, (spec.durationS + 60) * 1000), stop: () => proc.stop() };
}
