// CPU time each process spent over a window (utime + stime from /proc/<pid>/stat): shows who had
// the machine's two cores while a load ran, which the latencies alone cannot tell.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields are counted after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_S;
}

export interface CpuShare {
  wallMs: number;
  /** CPU milliseconds per process over the window. */
  ms: Record<string, number>;
}

/** Runs `work` and reports the CPU time each named process used meanwhile. */
export async function withCpuShare<T>(pids: Record<string, number>, work: () => Promise<T>): Promise<{ result: T; cpu: CpuShare }> {
  const names = Object.keys(pids);
  const read = () => Promise.all(names.map((n) => cpuMsOf(pids[n] ?? -1)));
  const before = await read();
  const start = performance.now();
  const result = await work();
  const wallMs = performance.now() - start;
  const after = await read();
  return { result, cpu: { wallMs, ms: Object.fromEntries(names.map((n, i) => [n, (after[i] ?? 0) - (before[i] ?? 0)])) } };
}
