// How the fuzz properties run: bounded in count and time, and reproducible. Every property has a
// fixed seed (FUZZ_SEED moves them all), printed with the run count and, on failure, with
// fast-check's counterexample. FUZZ_RUNS_SCALE=4 runs four times as many cases.
import type { IAsyncProperty, Parameters, Plugin } from 'fast-check';
import fc from 'fast-check';

const SEED = Number(process.env.FUZZ_SEED) || 20_251_125;
const RUN_SCALE = Number(process.env.FUZZ_RUNS_SCALE) || 1;
/** A property stops early (as a pass, with the run count printed) once it has run this long. */
const PROPERTY_TIME_LIMIT_MS = 20_000;
/**
 * One case (a request, a socket's whole life) may take this long before it counts as a hang.
 * Generous: CI runs other test files beside this one on two cores.
 */
export const CASE_TIMEOUT_MS = 20_000;
/** One step of a socket's life (open, ack, pong, close) may take this long. */
export const SOCKET_STEP_MS = 4_000;

function parameters<T>(offset: number, numRuns: number): Parameters<T> {
  return {
    seed: SEED + offset,
    numRuns: Math.max(1, Math.round(numRuns * RUN_SCALE)),
    timeout: CASE_TIMEOUT_MS,
    // The plugin works for any property; its declared type is Plugin<unknown>.
    plugins: [fc.interruptAfterTimeLimit(PROPERTY_TIME_LIMIT_MS) as Plugin<T>],
  };
}

/** fc.assert, plus a line saying how many cases ran with which seed (interrupted or not). */
export async function checkProperty<Ts>(name: string, offset: number, numRuns: number, property: IAsyncProperty<Ts>): Promise<void> {
  const started = performance.now();
  const details = await fc.check(property, parameters<Ts>(offset, numRuns));
  const ms = Math.round(performance.now() - started);
  console.log(`[fuzz] ${name}: ${details.numRuns} cases in ${ms} ms, seed ${details.seed}${details.interrupted ? ' (stopped at the time limit)' : ''}`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const example = fc.stringify(details.counterexample).slice(0, 2000);
    throw new Error(`${name} failed (property seed ${details.seed}, path "${details.counterexamplePath}"; replay the run with FUZZ_SEED=${SEED})\n${cause}\ncounterexample: ${example}`);
  }
}

/** Counts outcomes per property, printed as one line: what the random input actually reached. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  print(name: string): void {
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, 14);
    console.log(`[fuzz] ${name} outcomes: ${top.map(([k, n]) => `${k}×${n}`).join(', ')}`);
  }
}
