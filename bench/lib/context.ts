// What every scenario is handed by bench/run.ts.
import type { LoadGenerator } from './load.js';

export interface BenchContext {
  quick: boolean;
  /** Repetitions of each measurement; medians are reported. */
  runs: number;
  /** The benchmark's own PostgreSQL database (fresh at start). */
  databaseUrl: string;
  /** Where profiles and raw results go (bench/out). */
  outDir: string;
  load: LoadGenerator;
  log(message: string): void;
}
