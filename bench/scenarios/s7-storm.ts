// Scenario 7: a reconnect storm. 10,000 sockets of distinct sessions connect in the same instant
// (connection_init with a bearer token, then the web app's subscription), on the gateway and on the
// bare `ws` server, without other load. Then the same storms under scenario 1's `me` load on the
// gateway: its p99 over the storm's window against the same load alone, and against the storm on
// the bare server (a control: what the client process and the kernel take from a 2-core machine).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import type { Gateway } from '../lib/gateway.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { LoadResult } from '../lib/load.js';
import type { BareWs } from '../lib/population.js';
import { startBareWs } from '../lib/population.js';
import { sleep } from '../lib/proc.js';
import type { ProfileSummary } from '../lib/profile.js';
import { summarizeProfile } from '../lib/profile.js';
import type { ScenarioReport, Table } from '../lib/report.js';
import { fmt, fmtRatio, profileTables, verdict } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { StormClient, StormResult, StormTarget } from '../lib/storm.js';
import { ACK_TIMEOUT_MS, calm, describeFailures, startStormClient, storm } from '../lib/storm.js';
import type { TimedLoad } from '../lib/timed-load.js';
import { epochNow, startTimedLoad } from '../lib/timed-load.js';
import { ME_QUERY } from '../procs/constants.js';
import { CONNECTIONS } from './s1-query.js';

type Side = 'gateway' | 'bare';

interface Loaded {
  storm: StormResult;
  /** The requests in flight at some moment between the storm's first connect and its last subscribe. */
  load: LoadResult;
}

interface Run {
  plain: Record<Side, StormResult>;
  alone: LoadResult;
  during: Loaded;
  control: Loaded;
}

/** The target: storms admitted near the bare server's pace, HTTP still answered. */
const STORM_TARGET = 2;
const P99_TARGET = 3;
/** The load runs this long before the storm starts, and on after it ends. */
const LEAD_MS = 1000;
const TAIL_MS = 500;
/** The load alone runs as long as the loaded storm did, within these bounds. */
const MIN_ALONE_MS = 3000;
const MAX_ALONE_MS = 10_000;

const clean = (r: LoadResult) => r.errors + r.timeouts + r.non2xx === 0 && r.requests > 0;

function stormLine(r: StormResult): string {
  const retried = r.retried ? `; ${fmt(r.retried, 0)} attempts retried: ${describeFailures({ failures: r.retries })}` : '';
  const failed = r.failed ? `; ${r.failed} FAILED: ${describeFailures(r)}` : '';
  return `${fmt(r.acked, 0)} of ${fmt(r.n, 0)} acked in ${fmt(r.ackedMs, 0)} ms (per socket p50/p99 ${fmt(r.ack.p50, 0)}/${fmt(r.ack.p99, 0)} ms), subscribed in ${fmt(r.subscribedMs, 0)} ms (half ${fmt(r.halfMs, 0)}, 99 % ${fmt(r.mostMs, 0)})${retried}${failed}`;
}

export async function scenarioStorm(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 1000 : 10_000;
  let gw: Gateway | null = null;
  let bare: BareWs | null = null;
  let client: StormClient | null = null;
  let load: TimedLoad | null = null;
  try {
    gw = await startGateway('s7-gateway', { databaseUrl: ctx.databaseUrl });
    bare = await startBareWs('s7-bare-ws');
    client = await startStormClient();
    load = await startTimedLoad();
    const g = gw;
    const b = bare;
    const c = client;
    const l = load;
    const pids = { gateway: g.proc.pid, 'bare ws': b.proc.pid, 'ws client': c.pid, 'load generator': l.pid };
    const loadUser = await seedUser(g, 1, 0);
    const spec = { url: g.graphqlUrl, headers: authHeaders(loadUser.token), body: JSON.stringify({ query: ME_QUERY }), connections: CONNECTIONS };

    // Fresh sessions for every gateway storm: none is in the session cache, as after a restart.
    const target = async (side: Side): Promise<StormTarget> => {
      if (side === 'bare') {
        return { wsUrl: b.wsUrl, tokens: Array.from({ length: n }, () => randomUUID()), stats: () => b.stats() };
      }
      const user = await seedUser(g, 1, n);
      return { wsUrl: g.wsUrl, tokens: user.sessions.map((s) => s.token), stats: () => g.stats() };
    };
    const stormOn = async (side: Side, what: string): Promise<StormResult> => {
      const t = await target(side);
      const r = await storm(c, t, pids);
      await calm(c, t);
      ctx.log(`${what}: ${stormLine(r)}`);
      // The closes' aftermath (timers, garbage) is not the next episode's.
      await sleep(1000);
      return r;
    };
    const loadedStorm = async (side: Side, what: string): Promise<Loaded> => {
      const t = await target(side);
      await l.start(spec);
      await sleep(LEAD_MS);
      const r = await storm(c, t, pids);
      await sleep(TAIL_MS);
      const [during] = await l.finish([[r.startedAt, r.endedAt]]);
      await calm(c, t);
      if (!during) throw new Error(`${what}: no load result`);
      ctx.log(`${what}: ${stormLine(r)}; \`me\` in the window: ${fmt(during.requests, 0)} answered, p99 ${fmt(during.p99, 2)} ms, max ${fmt(during.max, 1)} ms, ${during.errors} errors, ${during.non2xx} non-2xx`);
      await sleep(1000);
      return { storm: r, load: during };
    };
    const loadAlone = async (ms: number): Promise<LoadResult> => {
      await l.start(spec);
      await sleep(LEAD_MS);
      const from = epochNow();
      await sleep(ms);
      const [alone] = await l.finish([[from, epochNow()]]);
      if (!alone) throw new Error('s7 alone: no load result');
      return alone;
    };

    await loadAlone(1000); // warm-up: connections, caches, JIT
    const runs: Run[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      const sides: Side[] = run % 2 ? ['bare', 'gateway'] : ['gateway', 'bare'];
      const plain = {} as Record<Side, StormResult>;
      for (const side of sides) plain[side] = await stormOn(side, `s7 run ${run + 1} ${side} storm of ${fmt(n, 0)}`);
      const during = await loadedStorm('gateway', `s7 run ${run + 1} gateway storm under load`);
      const control = await loadedStorm('bare', `s7 run ${run + 1} control: bare storm, load on the gateway`);
      const alone = await loadAlone(Math.min(MAX_ALONE_MS, Math.max(MIN_ALONE_MS, during.storm.endedAt - during.storm.startedAt)));
      ctx.log(`s7 run ${run + 1}: \`me\` p99 alone ${fmt(alone.p99, 2)} ms, during the gateway's storm ${fmt(during.load.p99, 2)} ms, during the bare server's ${fmt(control.load.p99, 2)} ms`);
      runs.push({ plain, alone, during, control });
    }

    // One more storm, profiled, outside the figures (the profiler slows the gateway).
    const profileFile = path.join(ctx.outDir, 's7-gateway-storm.cpuprofile');
    const profiled = await target('gateway');
    await g.proc.call('profileStart', { intervalUs: 500 });
    const profiledStorm = await storm(c, profiled, pids);
    await g.proc.call('profileStop', { file: profileFile });
    await calm(c, profiled);
    const profile: ProfileSummary = await summarizeProfile(profileFile, 12);
    ctx.log(`s7 profiled storm: ${stormLine(profiledStorm)} → ${profileFile}`);

    return report(ctx, n, runs, profile);
  } finally {
    await load?.close().catch(() => undefined);
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}

function report(ctx: BenchContext, n: number, runs: Run[], profile: ProfileSummary): ScenarioReport {
  const med = (pick: (r: Run) => number) => median(runs.map(pick));
  const cores = (s: StormResult, name: string) => (s.cpu.ms[name] ?? 0) / s.cpu.wallMs;
  const stormRow = (side: Side, label: string) => {
    const s = (r: Run) => r.plain[side];
    return [
      label,
      fmt(med((r) => s(r).ackedMs), 0),
      `${fmt(med((r) => s(r).ack.p50), 0)} / ${fmt(med((r) => s(r).ack.p99), 0)}`,
      fmt(med((r) => s(r).subscribedMs), 0),
      `${fmt(med((r) => s(r).halfMs), 0)} / ${fmt(med((r) => s(r).mostMs), 0)}`,
      fmt(med((r) => s(r).acked / (s(r).ackedMs / 1000)), 0),
      fmt(med((r) => s(r).retried), 0),
      fmt(med((r) => s(r).listenOverflows), 0),
      String(runs.reduce((sum, r) => sum + s(r).failed, 0)),
      fmt(med((r) => cores(s(r), side === 'gateway' ? 'gateway' : 'bare ws')), 2),
      fmt(med((r) => cores(s(r), 'ws client')), 2),
    ];
  };
  const loadRow = (label: string, pick: (r: Run) => LoadResult, stormOf?: (r: Run) => StormResult) => [
    label,
    fmt(med((r) => pick(r).requests), 0),
    fmt(med((r) => pick(r).p50), 2),
    fmt(med((r) => pick(r).p99), 2),
    fmt(med((r) => pick(r).max), 1),
    String(runs.reduce((sum, r) => sum + pick(r).errors + pick(r).timeouts + pick(r).non2xx, 0)),
    fmtRatio(med((r) => pick(r).p99 / r.alone.p99)),
    stormOf ? `${fmt(med((r) => stormOf(r).acked), 0)} · ${fmt(med((r) => stormOf(r).subscribedMs), 0)}` : '–',
  ];
  const stormRatio = med((r) => r.plain.gateway.subscribedMs / r.plain.bare.subscribedMs);
  const ackRatio = med((r) => r.plain.gateway.ackedMs / r.plain.bare.ackedMs);
  const p99Ratio = med((r) => r.during.load.p99 / r.alone.p99);
  const controlRatio = med((r) => r.control.load.p99 / r.alone.p99);
  const answered = runs.every((r) => clean(r.during.load));
  const loadedRatio = med((r) => r.during.storm.subscribedMs / r.control.storm.subscribedMs);
  const tables: Table[] = [
    {
      title: `A storm of ${fmt(n, 0)} sockets (one session each, all connecting at once), no other load; ms from the first connect, median of ${ctx.runs} run(s)`,
      headers: ['server', 'all acked (client)', 'per socket ack p50 / p99', 'all subscribed (server count)', 'half / 99 % subscribed', 'connects/s (to all acked)', 'retried attempts', 'listen-queue drops (host)', 'failed (all runs)', 'server cores', 'client cores'],
      rows: [stormRow('gateway', 'gateway (PostgreSQL)'), stormRow('bare', 'bare `ws`')],
    },
    {
      title: `\`me\` load (${CONNECTIONS} connections) on the gateway: the requests in flight during a storm of ${fmt(n, 0)} sockets, and the same load alone; median of ${ctx.runs} run(s)`,
      headers: ['load', 'requests in window', 'p50 ms', 'p99 ms', 'max ms', 'failed (all runs)', 'p99 vs alone', 'storm: sockets acked · all subscribed ms'],
      rows: [
        loadRow('alone (the gateway holds no sockets)', (r) => r.alone),
        loadRow(`during the gateway's storm`, (r) => r.during.load, (r) => r.during.storm),
        loadRow('control: during a storm on the bare `ws` server', (r) => r.control.load, (r) => r.control.storm),
      ],
    },
    ...profileTables(profile, `CPU profile of the gateway during one more storm of ${fmt(n, 0)} (not in the figures above): top self-time frames (${fmt(profile.busyMs, 0)} ms busy, ${fmt(profile.idlePercent)} % idle)`),
  ];
  // Every storm's failed sockets, by what happened to them: any failure misses the target.
  const storms: [string, (r: Run) => StormResult][] = [
    ['gateway', (r) => r.plain.gateway],
    ['bare', (r) => r.plain.bare],
    ['gateway under load', (r) => r.during.storm],
    ['bare under load', (r) => r.control.storm],
  ];
  const failures = storms.flatMap(([what, pick]) => runs.flatMap((r, i) => (pick(r).failed ? [`run ${i + 1}, ${what}: ${describeFailures(pick(r))}`] : [])));
  const gatewayFailed = runs.some((r) => r.plain.gateway.failed + r.during.storm.failed > 0);
  const stormMet = stormRatio <= STORM_TARGET && !gatewayFailed;
  const httpMet = p99Ratio <= P99_TARGET && answered;
  return {
    id: 's7',
    title: '7. Reconnect storm',
    tables,
    notes: [
      `Target storm ≤ ${STORM_TARGET}× the bare \`ws\` server (all acked and subscribed), no socket refused: ${fmtRatio(stormRatio)}${gatewayFailed ? ', some sockets FAILED' : ''} — ${verdict(stormMet)} (all acked alone: ${fmtRatio(ackRatio)}; under the \`me\` load, against the control's storm: ${fmtRatio(loadedRatio)}).`,
      `Target \`me\` p99 during the storm ≤ ${P99_TARGET}× alone, every request answered with a 2xx: ${fmtRatio(p99Ratio)}, ${answered ? 'all answered' : 'SOME FAILED'} — ${verdict(httpMet)}. Control (the storm on the bare server, the gateway only serving the load): ${fmtRatio(controlRatio)} of alone.`,
      `The client creates every socket in one tick. An attempt that fails before its ack (reset, closed, no ack 15 s after its upgrade) is tried again with the web app's backoff (full jitter from 1 s, doubling); a refusal (4403) is not; a socket without an ack after ${ACK_TIMEOUT_MS / 1000} s counts as failed. Both servers listen with Node's default backlog (511): the kernel drops the SYNs and handshakes that do not fit, and its retransmissions (1 s, 3 s, 7 s …) pace part of every storm ("listen-queue drops").`,
      `"Subscribed" is the server's own count of live subscriptions (graphql-ws does not acknowledge a subscribe), read every 25 ms once the server answers: a busy server's count comes late, never early. The storm's window for the load runs from the first connect to the last subscribe.`,
      failures.length ? `Failed sockets (not retried): ${failures.join(' · ')}.` : 'No socket failed in any storm.',
    ],
    raw: { n, runs, profile },
  };
}
