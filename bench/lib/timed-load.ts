// The orchestrator's side of bench/procs/http-load-timed.ts: a load that runs until stopped, read
// afterwards over windows of epoch time (the storm's start to its end, for scenario 7).
import type { LoadResult } from './load.js';
import type { Proc } from './proc.js';
import { spawnProc } from './proc.js';

export interface TimedLoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
}

/** [from, to] in epoch milliseconds (performance.timeOrigin + performance.now()). */
export type Window = [number, number];

export interface TimedLoad {
  pid: number;
  start(spec: TimedLoadSpec): Promise<void>;
  /** Stops the load; one result per window, of the requests in flight at some moment of it. */
  finish(windows: Window[]): Promise<LoadResult[]>;
  close(): Promise<void>;
}

/** Epoch milliseconds with a fraction, the same clock in every process. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export async function startTimedLoad(): Promise<TimedLoad> {
  const proc: Proc<{ pid: number }> = await spawnProc('http-load-timed', 'bench/procs/http-load-timed.ts', {});
  return {
    pid: proc.pid,
    start: async (spec) => void (await proc.call<boolean>('start', spec)),
    finish: (windows) => proc.call<LoadResult[]>('finish', { windows }, 60_000),
    close: () => proc.stop(),
  };
}
