// Scenario 6: scenario 1's load (`me` with a cookie) on a gateway that also holds 10,000
// subscription sockets, alone and while those sockets are kicked in one batch 3 s into the load.
// A control in the same run: the same load on the gateway while the bare `ws` server kicks as many
// sockets of the same client process, which shows what the kick's other processes (the client
// reading 10,000 events and closes, the kernel) take from the gateway on a 2-core machine.
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import type { CpuShare } from '../lib/cpu.js';
import { withCpuShare } from '../lib/cpu.js';
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
import { median } from '../lib/stats.js';
import type { KickResult, WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';
import { measureMe } from './s1-query.js';

interface Loaded {
  load: LoadResult;
  kick: KickResult;
  cpu: CpuShare;
}

interface Run {
  alone: LoadResult;
  kicked: Loaded;
  control: Loaded;
}

export async function scenarioInterference(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  const durationS = ctx.quick ? 3 : 8;
  const kickAtMs = ctx.quick ? 1000 : 3000;
  let gw: Gateway | null = null;
  let bare: BareWs | null = null;
  let client: WsClient | null = null;
  try {
    gw = await startGateway('s6-gateway', { databaseUrl: ctx.databaseUrl });
    bare = await startBareWs('s6-bare-ws');
    client = await startWsClient();
    const g = gw;
    const c = client;
    const pids = { gateway: g.proc.pid, 'ws client': c.pid, 'load generator': ctx.load.pid, 'bare ws': bare.proc.pid };
    const loadUser = await seedUser(g, 1, 0);
    const headers = authHeaders(loadUser.token);
    await measureMe(ctx, g.graphqlUrl, headers, 2);

    /** The `me` load, with a batch kick of `population` 3 s in; CPU time of every process meanwhile. */
    const loadWithKick = async (what: string, population: Population, profileFile?: string): Promise<Loaded> => {
      if (profileFile) await g.proc.call('profileStart', { intervalUs: 500 });
      const { result, cpu } = await withCpuShare(pids, async () => {
        const loaded = measureMe(ctx, g.graphqlUrl, headers, durationS);
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
    let profile: ProfileSummary | null = null;
    const profileFile = path.join(ctx.outDir, 's6-gateway-kicked.cpuprofile');
    for (let run = 0; run < ctx.runs; run++) {
      const last = run === ctx.runs - 1;
      const population = await gatewayPopulation(g, c, n);
      const alone = await measureMe(ctx, g.graphqlUrl, headers, durationS);
      assertClean('s6 alone', alone);
      const kicked = await loadWithKick('s6 gateway', population, last ? profileFile : undefined);
      if (last) profile = await summarizeProfile(profileFile, 12);
      const control = await loadWithKick('s6 control', await barePopulation(bare, c, n));
      runs.push({ alone, kicked, control });
      ctx.log(
        `s6 run ${run + 1}: p99 alone ${fmt(alone.p99, 2)} ms, during the gateway's kick ${fmt(kicked.load.p99, 2)} ms, during the bare server's kick ${fmt(control.load.p99, 2)} ms; gateway's kick close p99 ${fmt(kicked.kick.close.p99, 0)} ms`,
      );
    }
    const med = (pick: (r: Run) => number) => median(runs.map(pick));
    const p99Ratio = med((r) => r.kicked.load.p99 / r.alone.p99);
    const controlRatio = med((r) => r.control.load.p99 / r.alone.p99);
    const ownRatio = med((r) => r.kicked.load.p99 / r.control.load.p99);
    const loadRow = (label: string, pick: (r: Run) => LoadResult) => [
      label,
      fmt(med((r) => pick(r).rps), 0),
      fmt(med((r) => pick(r).p50), 2),
      fmt(med((r) => pick(r).p99), 2),
      fmt(med((r) => pick(r).max), 1),
      fmtRatio(med((r) => pick(r).p99 / r.alone.p99)),
    ];
    const cpuRow = (label: string, pick: (r: Run) => CpuShare) => {
      const cores = (share: CpuShare, ms: number) => ms / share.wallMs;
      return [
        label,
        fmt(med((r) => pick(r).wallMs), 0),
        ...Object.keys(pids).map((name) => fmt(med((r) => cores(pick(r), pick(r).ms[name] ?? 0)), 2)),
        fmt(med((r) => cores(pick(r), Object.values(pick(r).ms).reduce((a, b) => a + b, 0))), 2),
      ];
    };
    const tables: Table[] = [
      {
        title: `\`me\` load (32 connections, ${durationS} s) on the gateway; a batch kick of ${fmt(n, 0)} sockets starts ${kickAtMs / 1000} s in. Median of ${ctx.runs} runs`,
        headers: ['load', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs alone'],
        rows: [
          loadRow(`alone (the gateway holds ${fmt(n, 0)} idle sockets)`, (r) => r.alone),
          loadRow(`while the gateway kicks its ${fmt(n, 0)} sockets`, (r) => r.kicked.load),
          loadRow(`control: while the bare \`ws\` server kicks ${fmt(n, 0)} sockets of the same client`, (r) => r.control.load),
        ],
      },
      {
        title: 'Cores used by each process over the loaded window (CPU time ÷ wall time; the machine has 2), median of the runs',
        headers: ['window', 'wall ms', ...Object.keys(pids), 'all'],
        rows: [cpuRow("the gateway's kick", (r) => r.kicked.cpu), cpuRow("the bare server's kick", (r) => r.control.cpu)],
      },
    ];
    if (profile) {
      tables.push(...profileTables(profile, `CPU profile of the gateway over the last run's loaded window (\`me\` load + its kick): top self-time frames (${fmt(profile.busyMs, 0)} ms busy, ${fmt(profile.idlePercent)} % idle)`));
    }
    return {
      id: 's6',
      title: '6. Interference',
      tables,
      notes: [
        `Target p99 ≤ 2× alone: ${fmtRatio(p99Ratio)} — ${verdict(p99Ratio <= 2)}.`,
        `Control (the same kick by the bare \`ws\` server, the gateway only serving the load): p99 ${fmtRatio(controlRatio)} of alone; the gateway's kick against the control: ${fmtRatio(ownRatio)}.`,
        `The gateway's kick under load: event p99 ${fmt(med((r) => r.kicked.kick.eventFromRequest.p99), 0)} ms, close p99 ${fmt(med((r) => r.kicked.kick.closeFromRequest.p99), 0)} ms from the request; the bare server's: ${fmt(med((r) => r.control.kick.eventFromRequest.p99), 0)} / ${fmt(med((r) => r.control.kick.closeFromRequest.p99), 0)} ms.`,
      ],
      raw: runs,
    };
  } finally {
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}
