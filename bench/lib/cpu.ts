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

/** A named process, or a group whose members come and go (a database server's backends): listed at each reading. */
export type Watched = number | (() => number[]);

/** The processes of the machine's PostgreSQL server (postmaster, backends, autovacuum, WAL writer). */
export function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-u', 'postgres'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU ms per pid; a process gone meanwhile is left out. */
async function readAll(pids: number[]): Promise<Map<number, number>> {
  const read = await Promise.all(pids.map((pid) => cpuMsOf(pid).then((ms) => [pid, ms] as const, () => null)));
  return new Map(read.filter((r): r is readonly [number, number] => r !== null));
}

/**
 * Runs `work` and reports the CPU time each named process used meanwhile. A group's member that
 * started meanwhile counts whole; one that ended meanwhile is lost (its last share is not readable).
 */
export async function withCpuShare<T>(watched: Record<string, Watched>, work: () => Promise<T>): Promise<{ result: T; cpu: CpuShare }> {
  const names = Object.keys(watched);
  const pidsOf = (name: string): number[] => {
    const w = watched[name] ?? -1;
    return typeof w === 'number' ? [w] : w();
  };
  const read = () => Promise.all(names.map((n) => readAll(pidsOf(n))));
  const before = await read();
  const start = performance.now();
  const result = await work();
  const wallMs = performance.now() - start;
  const after = await read();
  const used = (i: number): number => {
    let ms = 0;
    for (const [pid, now] of after[i] ?? []) ms += now - (before[i]?.get(pid) ?? 0);
    return ms;
  };
  return { result, cpu: { wallMs, ms: Object.fromEntries(names.map((n, i) => [n, used(i)])) } };
}
