// `npm run bench` (full) and `npm run bench:quick` (CI smoke test: small sizes, one run, exits
// non-zero only when a scenario fails to complete). Options: --quick, --only=s1,s3, --runs=N.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchContext } from './lib/context.js';
import { describeMachine, freshDatabase } from './lib/env.js';
import { startLoadGenerator } from './lib/load.js';
import { killAll, ROOT } from './lib/proc.js';
import type { ScenarioReport } from './lib/report.js';
import { renderScenario } from './lib/report.js';
import { scenarioQuery } from './scenarios/s1-query.js';
import { scenarioSessions } from './scenarios/s2-sessions.js';
import { scenarioKick } from './scenarios/s3-kick.js';
import { scenarioMemory } from './scenarios/s4-memory.js';
import { scenarioCrossInstance } from './scenarios/s5-cross-instance.js';
import { scenarioInterference } from './scenarios/s6-interference.js';
import { scenarioStorm } from './scenarios/s7-storm.js';
import { scenarioVerify } from './scenarios/s8-verify.js';
import { scenarioIncident } from './scenarios/s9-incident.js';
import { scenarioWebhooks } from './scenarios/s10-webhooks.js';
import { scenarioOpenLoop } from './scenarios/s11-open-loop.js';

type Scenario = (ctx: BenchContext) => Promise<ScenarioReport>;

const SCENARIOS: [string, Scenario][] = [
  ['s1', scenarioQuery],
  ['s2', scenarioSessions],
  ['s3', scenarioKick],
  ['s4', scenarioMemory],
  ['s5', scenarioCrossInstance],
  ['s6', scenarioInterference],
  ['s7', scenarioStorm],
  ['s8', scenarioVerify],
  ['s9', scenarioIncident],
  ['s10', scenarioWebhooks],
  ['s11', scenarioOpenLoop],
];

function option(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

const quick = process.argv.includes('--quick');
const only = option('only')?.split(',');
const runs = Number(option('runs') ?? (quick ? 1 : 3));
const outDir = path.join(ROOT, 'bench', 'out');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

async function main(): Promise<number> {
  await mkdir(outDir, { recursive: true });
  // The gateway runs as `npm start` runs it: compiled to dist/server.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-server.mjs')], { stdio: 'inherit' });
  const started = Date.now();
  const log = (message: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
  const machine = await describeMachine();
  log(`machine: ${JSON.stringify(machine)}`);
  const databaseUrl = await freshDatabase();
  const load = await startLoadGenerator();
  const ctx: BenchContext = { quick, runs, databaseUrl, outDir, load, log };
  const reports: ScenarioReport[] = [];
  const failures: string[] = [];
  try {
    for (const [id, scenario] of SCENARIOS) {
      if (only && !only.includes(id)) continue;
      log(`== ${id}`);
      try {
        const report = await scenario(ctx);
        reports.push(report);
        console.log(`\n${renderScenario(report)}`);
      } catch (err) {
        failures.push(id);
        console.error(`${id} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  } finally {
    await load.stop();
  }
  const header = [
    `# session-gateway benchmarks (${quick ? 'quick' : 'full'} run)`,
    '',
    `${machine.date} · ${machine.cpus} cores (${machine.cpuModel}) · ${machine.memoryGiB} GiB · Node ${machine.node} · PostgreSQL ${machine.postgres} · Redis ${machine.redis} · ulimit -n ${machine.fdLimit}`,
    '',
    `Command: \`npm run ${quick ? 'bench:quick' : 'bench'}\`${only ? ` --only=${only.join(',')}` : ''} · ${runs} run(s) per measurement, medians · ${((Date.now() - started) / 60000).toFixed(1)} min`,
    '',
  ].join('\n');
  const name = quick ? 'quick' : 'full';
  await writeFile(path.join(outDir, `report-${name}.md`), `${header}\n${reports.map(renderScenario).join('\n')}`);
  await writeFile(path.join(outDir, `results-${name}.json`), JSON.stringify({ machine, quick, runs, reports }, null, 2));
  log(`wrote bench/out/report-${name}.md${failures.length ? `; FAILED: ${failures.join(', ')}` : ''}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  },
);
