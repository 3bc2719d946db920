// Scenario 6: scenario 1's load (`me` with a cookie) and scenario 8's (`/auth/verify`) on a gateway
// that also holds 10,000 subscription sockets, alone and while those sockets are kicked in one
// batch 3 s into the load. Two gateways, one after the other: the sockets in the process that
// answers HTTP (the default), and in a live worker (LIVE_WORKER). A control in the same run: the
// same `me` load on the gateway while the bare `ws` server kicks as many sockets of the same client
// process, which shows what the kick's other processes (the client reading 10,000 events and
// closes, the kernel) take from the gateway on a 2-core machine.
import { setPriority } from 'node:os';
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import type { CpuShare, Watched } from '../lib/cpu.js';
import { postgresPids, withCpuShare } from '../lib/cpu.js';
import type { Gateway } from '../lib/gateway.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { LoadResult } from '../lib/load.js';
import { assertClean } from '../lib/load.js';
import type { BareWs, Population } from '../lib/population.js';
import { barePopulation, gatewayPopulation, startBareWs, untilEmpty } from '../lib/population.js';
import { sleep } from '../lib/proc.js';
import type { ProfileSummary } from '../lib/profile.js';
import { summarizeProfile } from '../lib/profile.js';
import type { ScenarioReport, Table } from '../lib/report.js';
import { fmt, fmtRatio, profileTables, verdict } from '../lib/report.js';
import { BROWSER_UA } from '../lib/sql.js';
import { median } from '../lib/stats.js';
import type { KickResult, WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';
import { CONNECTIONS, measureMe } from './s1-query.js';

interface Loaded {
  load: LoadResult;
  kick: KickResult;
  cpu: CpuShare;
}

interface Run {
  alone: LoadResult;
  verifyAlone: LoadResult;
  kicked: Loaded;
  verifyKicked: Loaded;
  control: Loaded;
  verifyControl: Loaded;
}

interface Mode {
  key: 'inline' | 'worker';
  label: string;
  runs: Run[];
  pids: Record<string, Watched>;
}

/**
 * The socket client stands for 10,000 browsers, which are not on the gateway's host: at the lowest
 * priority it takes only the cores' idle time, not the loads' (BENCH_WS_CLIENT_NICE=0: as the others).
 */
export function asRemoteClient(client: WsClient): void {
  setPriority(client.pid, Number(process.env.BENCH_WS_CLIENT_NICE ?? 19));
}

/** p99 of a 2-ms request on a shared 2-core host drifts between runs: these scenarios take at least 5. */
export const runsOf = (ctx: BenchContext): number => (ctx.quick ? ctx.runs : Math.max(ctx.runs, 5));

/** The two designs, each measured on a gateway of its own (BENCH_S6_MODES=inline or worker: one). */
export const DESIGNS = [['inline', 'sockets in the HTTP process (default)'], ['worker', 'sockets in a live worker (LIVE_WORKER)']] as const;

/** The designs this run measures: DESIGNS, or those BENCH_S6_MODES names. */
export function wantedDesigns(): (typeof DESIGNS)[number][] {
  const wanted = process.env.BENCH_S6_MODES?.split(',');
  return DESIGNS.filter(([key]) => !wanted || wanted.includes(key));
}

const PROCESSES = ['gateway', 'live worker', 'ws client', 'load generator', 'bare ws', 'PostgreSQL'];

export async function scenarioInterference(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  const durationS = ctx.quick ? 3 : 8;
  const kickAtMs = ctx.quick ? 1000 : 3000;
  const runCount = runsOf(ctx);
  let bare: BareWs | null = null;
  let client: WsClient | null = null;
  const modes: Mode[] = [];
  let profile: ProfileSummary | null = null;
  try {
    bare = await startBareWs('s6-bare-ws');
    client = await startWsClient();
    asRemoteClient(client);
    const b = bare;
    const c = client;
    for (const [key, label] of wantedDesigns()) {
      let gw: Gateway | null = null;
      try {
        gw = await startGateway(`s6-gateway-${key}`, { databaseUrl: ctx.databaseUrl, liveWorker: key === 'worker' });
        const g = gw;
        const pids: Record<string, Watched> = { gateway: g.proc.pid, 'ws client': c.pid, 'load generator': ctx.load.pid, 'bare ws': b.proc.pid, PostgreSQL: postgresPids };
        if (key === 'worker') pids['live worker'] = (await g.stats()).pid;
        const loadUser = await seedUser(g, 1, 0);
        const headers = authHeaders(loadUser.token);
        const verifyHeaders = { cookie: headers.cookie ?? '', 'user-agent': BROWSER_UA };
        const me = (s: number) => measureMe(ctx, g.graphqlUrl, headers, s);
        const verify = (s: number) => ctx.load.run({ url: `${g.url}/auth/verify`, method: 'GET', headers: verifyHeaders, connections: CONNECTIONS, durationS: s });
        await me(2);
        await verify(2);

        /** A load, with a batch kick of `population` 3 s in; CPU time of every process meanwhile. */
        const withKick = async (what: string, load: (s: number) => Promise<LoadResult>, population: Population, profileFile?: string): Promise<Loaded> => {
          if (profileFile) await g.proc.call('profileStart', { intervalUs: 500 });
          const { result, cpu } = await withCpuShare(pids, async () => {
            const loaded = load(durationS);
            await sleep(kickAtMs);
            const kick = await c.kick(population.batchKick(population.ids));
            return { load: await loaded, kick };
          });
          if (profileFile) await g.proc.call('profileStop', { file: profileFile });
          assertKick(`${what} kick`, result.kick);
          assertClean(`${what} load`, result.load);
          await untilEmpty(population);
          return { ...result, cpu };
        };

        const runs: Run[] = [];
        const profileFile = path.join(ctx.outDir, 's6-gateway-kicked.cpuprofile');
        for (let run = 0; run < runCount; run++) {
          const profiled = key === 'inline' && run === runCount - 1;
          const alone = await me(durationS);
          assertClean('s6 alone', alone);
          const verifyAlone = await verify(durationS);
          assertClean('s6 verify alone', verifyAlone);
          const kicked = await withKick(`s6 ${key}`, me, await gatewayPopulation(g, c, n), profiled ? profileFile : undefined);
          if (profiled) profile = await summarizeProfile(profileFile, 12);
          // The worker's HTTP process under the verify load and the kick: what is left on the loop that answers.
          const verifyProfile = key === 'worker' && run === runCount - 1 ? path.join(ctx.outDir, 's6-gateway-worker-verify.cpuprofile') : undefined;
          const verifyKicked = await withKick(`s6 ${key} verify`, verify, await gatewayPopulation(g, c, n), verifyProfile);
          const control = await withKick(`s6 ${key} control`, me, await barePopulation(b, c, n));
          const verifyControl = await withKick(`s6 ${key} verify control`, verify, await barePopulation(b, c, n));
          runs.push({ alone, verifyAlone, kicked, verifyKicked, control, verifyControl });
          ctx.log(
            `s6 ${key} run ${run + 1}: me p99 alone ${fmt(alone.p99, 2)} ms, during the gateway's kick ${fmt(kicked.load.p99, 2)} ms, during the bare server's ${fmt(control.load.p99, 2)} ms; verify p99 alone ${fmt(verifyAlone.p99, 2)} ms, during the kick ${fmt(verifyKicked.load.p99, 2)} ms, during the bare server's ${fmt(verifyControl.load.p99, 2)} ms`,
          );
        }
        modes.push({ key, label, runs, pids });
      } finally {
        await gw?.stop().catch(() => undefined);
      }
    }
    return report(ctx, modes, profile, { n, durationS, kickAtMs, runs: runCount });
  } finally {
    await client?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}

function report(ctx: BenchContext, modes: Mode[], profile: ProfileSummary | null, shape: { n: number; durationS: number; kickAtMs: number; runs: number }): ScenarioReport {
  const count = fmt(shape.n, 0);
  const ratios = (mode: Mode) => {
    const med = (pick: (r: Run) => number) => median(mode.runs.map(pick));
    return {
      med,
      me: med((r) => r.kicked.load.p99 / r.alone.p99),
      verify: med((r) => r.verifyKicked.load.p99 / r.verifyAlone.p99),
      verifyControl: med((r) => r.verifyControl.load.p99 / r.verifyAlone.p99),
      control: med((r) => r.control.load.p99 / r.alone.p99),
      each: mode.runs.map((r) => fmtRatio(r.kicked.load.p99 / r.alone.p99)).join(', '),
      eachVerify: mode.runs.map((r) => fmtRatio(r.verifyKicked.load.p99 / r.verifyAlone.p99)).join(', '),
    };
  };
  const loadRows = modes.flatMap((mode) => {
    const { med } = ratios(mode);
    const row = (label: string, pick: (r: Run) => LoadResult, base: (r: Run) => LoadResult) => [
      `${mode.label}: ${label}`,
      fmt(med((r) => pick(r).rps), 0),
      fmt(med((r) => pick(r).p50), 2),
      fmt(med((r) => pick(r).p99), 2),
      fmt(med((r) => pick(r).max), 1),
      fmtRatio(med((r) => pick(r).p99 / base(r).p99)),
    ];
    return [
      row(`\`me\` alone (${count} idle sockets held)`, (r) => r.alone, (r) => r.alone),
      row(`\`me\` while the gateway kicks its ${count} sockets`, (r) => r.kicked.load, (r) => r.alone),
      row(`\`me\` while the bare \`ws\` server kicks ${count} sockets (control)`, (r) => r.control.load, (r) => r.alone),
      row('`/auth/verify` alone', (r) => r.verifyAlone, (r) => r.verifyAlone),
      row(`\`/auth/verify\` while the gateway kicks its ${count} sockets`, (r) => r.verifyKicked.load, (r) => r.verifyAlone),
      row(`\`/auth/verify\` while the bare \`ws\` server kicks ${count} sockets (control)`, (r) => r.verifyControl.load, (r) => r.verifyAlone),
    ];
  });
  const cpuRows = modes.flatMap((mode) => {
    const { med } = ratios(mode);
    const row = (label: string, pick: (r: Run) => CpuShare) => [
      `${mode.label}: ${label}`,
      fmt(med((r) => pick(r).wallMs), 0),
      ...PROCESSES.map((name) => (mode.pids[name] === undefined ? '—' : fmt(med((r) => (pick(r).ms[name] ?? 0) / pick(r).wallMs), 2))),
      fmt(med((r) => Object.values(pick(r).ms).reduce((a, b) => a + b, 0) / pick(r).wallMs), 2),
    ];
    return [
      row("`me`, the gateway's kick", (r) => r.kicked.cpu),
      row("`me`, the bare server's kick", (r) => r.control.cpu),
      row("`/auth/verify`, the gateway's kick", (r) => r.verifyKicked.cpu),
      row("`/auth/verify`, the bare server's kick", (r) => r.verifyControl.cpu),
    ];
  });
  const tables: Table[] = [
    {
      title: `Loads of ${CONNECTIONS} connections, ${shape.durationS} s, on each gateway; a batch kick of ${count} sockets starts ${shape.kickAtMs / 1000} s in. Median of ${shape.runs} runs`,
      headers: ['gateway: load', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs alone'],
      rows: loadRows,
    },
    {
      title: 'Cores used by each process over each load window (CPU time ÷ wall time; the machine has 2), median of the runs',
      headers: ['gateway: window', 'wall ms', ...PROCESSES, 'all'],
      rows: cpuRows,
    },
  ];
  if (profile) {
    tables.push(...profileTables(profile, `CPU profile of the default gateway over its last \`me\` load with the kick: top self-time frames (${fmt(profile.busyMs, 0)} ms busy, ${fmt(profile.idlePercent)} % idle)`));
  }
  const notes = modes.flatMap((mode) => {
    const r = ratios(mode);
    return [
      `${mode.label}: \`me\` p99 ≤ 2× alone: ${fmtRatio(r.me)} (runs ${r.each})${mode.key === 'worker' ? ` — ${verdict(r.me <= 2)}` : ''}; control ${fmtRatio(r.control)}.`,
      `${mode.label}: \`/auth/verify\` p99 ≤ 2× alone: ${fmtRatio(r.verify)} (runs ${r.eachVerify})${mode.key === 'worker' ? ` — ${verdict(r.verify <= 2)}` : ''}; control ${fmtRatio(r.verifyControl)}.`,
      `${mode.label}: the kick under the \`me\` load: event p99 ${fmt(r.med((x) => x.kicked.kick.eventFromRequest.p99), 0)} ms, close p99 ${fmt(r.med((x) => x.kicked.kick.closeFromRequest.p99), 0)} ms from the request; the bare server's: ${fmt(r.med((x) => x.control.kick.eventFromRequest.p99), 0)} / ${fmt(r.med((x) => x.control.kick.closeFromRequest.p99), 0)} ms.`,
      `${mode.label}: the kick under the \`/auth/verify\` load: event p99 ${fmt(r.med((x) => x.verifyKicked.kick.eventFromRequest.p99), 0)} ms, close p99 ${fmt(r.med((x) => x.verifyKicked.kick.closeFromRequest.p99), 0)} ms from the request; the bare server's: ${fmt(r.med((x) => x.verifyControl.kick.eventFromRequest.p99), 0)} / ${fmt(r.med((x) => x.verifyControl.kick.closeFromRequest.p99), 0)} ms.`,
    ];
  });
  return { id: 's6', title: '6. Interference', tables, notes, raw: modes.map((m) => ({ mode: m.key, runs: m.runs })) };
}
