// Scenario 3: kick latency with 1,000 / 5,000 / 10,000 open subscription sockets (one session
// each, one client process). First single revocations (revokeSession), then one batch
// (revokeOtherSessions) for the rest; the bare `ws` baseline does the same sends and closes.
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import type { ProfileSummary } from '../lib/profile.js';
import { summarizeProfile } from '../lib/profile.js';
import type { Gateway } from '../lib/gateway.js';
import { startGateway } from '../lib/gateway.js';
import type { BareWs, KickResult, Population } from '../lib/population.js';
import { barePopulation, gatewayPopulation, startBareWs, untilEmpty } from '../lib/population.js';
import type { ScenarioReport, Table } from '../lib/report.js';
import { fmt, fmtRatio, profileTables, verdict } from '../lib/report.js';
import type { Summary } from '../lib/stats.js';
import { median, summarize } from '../lib/stats.js';
import type { WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';

export interface Episode {
  openMs: number;
  batch: KickResult;
  /** Each single revocation's own event and close, from its response (ms). */
  singleEvent: Summary;
  singleClose: Summary;
  /** The same from the request's start: the basis of the ratios (see below). */
  singleEventFromRequest: Summary;
  singleNextsToOthers: number;
}

export interface BatchHooks {
  before(): Promise<void>;
  after(): Promise<void>;
}

export async function kickEpisode(population: Population & { openMs: number }, client: WsClient, singles: number, what: string, hooks?: BatchHooks): Promise<Episode> {
  const singleEvents: number[] = [];
  const singleCloses: number[] = [];
  const singleFromRequest: number[] = [];
  let singleNextsToOthers = 0;
  for (const id of population.ids.slice(0, singles)) {
    const r = await client.kick(population.singleKick(id));
    assertKick(`${what} single`, r);
    singleEvents.push(r.event.p50);
    singleCloses.push(r.close.p50);
    singleFromRequest.push(r.eventFromRequest.p50);
    singleNextsToOthers += r.nextsToOthers;
  }
  const rest = population.ids.slice(singles);
  await hooks?.before();
  const batch = await client.kick(population.batchKick(rest));
  await hooks?.after();
  assertKick(`${what} batch`, batch);
  if (batch.maxForeignPerKicked > 0) throw new Error(`${what}: a kicked socket received ${batch.maxForeignPerKicked} events of other sessions of the same batch (quadratic fan-out)`);
  await untilEmpty(population);
  return { openMs: population.openMs, batch, singleEvent: summarize(singleEvents), singleClose: summarize(singleCloses), singleEventFromRequest: summarize(singleFromRequest), singleNextsToOthers };
}

type Side = 'gateway' | 'bare';

export async function scenarioKick(ctx: BenchContext): Promise<ScenarioReport> {
  const sizes = ctx.quick ? [200] : [1000, 5000, 10_000];
  const singles = ctx.quick ? 5 : 20;
  let gw: Gateway | null = null;
  let bare: BareWs | null = null;
  let client: WsClient | null = null;
  try {
    gw = await startGateway('s3-gateway', { databaseUrl: ctx.databaseUrl });
    bare = await startBareWs();
    client = await startWsClient();
    const episodes = new Map<string, Episode[]>();
    let profile: ProfileSummary | null = null;
    for (let run = 0; run < ctx.runs; run++) {
      for (const n of sizes) {
        const sides: Side[] = run % 2 ? ['bare', 'gateway'] : ['gateway', 'bare'];
        for (const side of sides) {
          const what = `s3 run ${run + 1} ${side} ${n}`;
          const population = side === 'gateway' ? await gatewayPopulation(gw, client, n) : await barePopulation(bare, client, n);
          // The gateway's CPU profile during the largest batch kick of the last run.
          const profiled = side === 'gateway' && run === ctx.runs - 1 && n === sizes[sizes.length - 1];
          const file = path.join(ctx.outDir, `s3-gateway-kick-${n}.cpuprofile`);
          const g = gw;
          const hooks = profiled
            ? {
                before: async () => void (await g.proc.call('profileStart', { intervalUs: 500 })),
                after: async () => {
                  await g.proc.call('profileStop', { file });
                  profile = await summarizeProfile(file, 12);
                },
              }
            : undefined;
          const e = await kickEpisode(population, client, singles, what, hooks);
          const key = `${side}:${n}`;
          episodes.set(key, [...(episodes.get(key) ?? []), e]);
          ctx.log(
            `${what}: opened in ${fmt(e.openMs, 0)} ms; batch of ${e.batch.kicked}: response ${fmt(e.batch.responseMs, 0)} ms, event p50/p99/max ${fmt(e.batch.event.p50, 0)}/${fmt(e.batch.event.p99, 0)}/${fmt(e.batch.event.max, 0)} ms, close ${fmt(e.batch.close.p50, 0)}/${fmt(e.batch.close.p99, 0)}/${fmt(e.batch.close.max, 0)} ms; single event p50 ${fmt(e.singleEvent.p50, 1)} ms`,
          );
        }
      }
    }

    const med = (key: string, pick: (e: Episode) => number) => median((episodes.get(key) ?? []).map(pick));
    const rows: string[][] = [];
    const notes: string[] = [];
    let allMet = true;
    for (const n of sizes) {
      for (const side of ['gateway', 'bare'] as Side[]) {
        const key = `${side}:${n}`;
        rows.push([
          fmt(n, 0),
          side === 'gateway' ? 'gateway (PostgreSQL)' : 'bare ws',
          fmt(med(key, (e) => e.batch.responseMs), 0),
          `${fmt(med(key, (e) => e.batch.event.p50), 0)} / ${fmt(med(key, (e) => e.batch.event.p99), 0)} / ${fmt(med(key, (e) => e.batch.event.max), 0)}`,
          `${fmt(med(key, (e) => e.batch.close.p50), 0)} / ${fmt(med(key, (e) => e.batch.close.p99), 0)} / ${fmt(med(key, (e) => e.batch.close.max), 0)}`,
          `${fmt(med(key, (e) => e.batch.eventFromRequest.p99), 0)} / ${fmt(med(key, (e) => e.batch.closeFromRequest.p99), 0)}`,
          `${fmt(med(key, (e) => e.singleEvent.p50), 1)} / ${fmt(med(key, (e) => e.singleEvent.max), 1)}`,
          `${fmt(med(key, (e) => e.singleClose.p50), 1)} / ${fmt(med(key, (e) => e.singleClose.max), 1)}`,
        ]);
      }
      // Ratios per run (same run, same machine state), then the median.
      const g = episodes.get(`gateway:${n}`) ?? [];
      const b = episodes.get(`bare:${n}`) ?? [];
      const r = (pick: (e: Episode) => number) => median(g.map((e, i) => pick(e) / pick(b[i] ?? e)));
      // Ratios from the request's start: the gateway pushes the events while the mutation is still
      // writing its audit row, so times from its response can be negative and make ratios meaningless.
      const eventRatio = r((e) => e.batch.eventFromRequest.p99);
      const closeRatio = r((e) => e.batch.closeFromRequest.p99);
      const singleRatio = r((e) => e.singleEventFromRequest.p50);
      const met = eventRatio <= 2.5 && closeRatio <= 2.5;
      allMet &&= met;
      notes.push(
        `${fmt(n, 0)} sockets: batch p99 from the request vs bare — event ${fmtRatio(eventRatio)}, close ${fmtRatio(closeRatio)} (target ≤ 2.5×: ${verdict(met)}); single revocation event p50 ${fmtRatio(singleRatio)} of bare.`,
      );
    }
    notes.push(
      `No quadratic fan-out: in every batch no kicked socket received an event about another session of the same batch, only its own REVOKED before its 4403 close (checked, the run fails otherwise). A single revocation sends the user's other open sockets one event each (their session lists), so ${singles} single revocations at n sockets send ~${singles}·n frames; the bare baseline sends the same.`,
    );
    const tables: Table[] = [
      {
        title: `Kick latency from the revoking request's response (ms), median of ${ctx.runs} runs: batch = revokeOtherSessions of all but ${singles}; single = revokeSession, ${singles} in turn`,
        headers: ['sockets', 'server', 'batch response ms', 'batch event p50 / p99 / max', 'batch close p50 / p99 / max', 'batch p99 from request: event / close', 'single event p50 / max', 'single close p50 / max'],
        rows,
      },
    ];
    const p = profile as ProfileSummary | null;
    if (p) tables.push(...profileTables(p, `CPU profile of the gateway during the ${fmt(sizes[sizes.length - 1] ?? 0, 0)}-socket batch kick: top self-time frames (${fmt(p.busyMs, 0)} ms sampled)`));
    return { id: 's3', title: '3. Kick latency at scale', tables, notes: [...notes, `All sizes within target: ${verdict(allMet)}.`], raw: { episodes: Object.fromEntries(episodes), profile: p } };
  } finally {
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}
