// Scenario 9: the incident button. An OWNER signs out an organisation of 500 members holding
// 10,000 sessions, each with an open subscribed socket (revokeOrganizationSessions, one
// statement), against scenario 3's bare `ws` baseline kicking as many sockets in the same run.
import type { BenchContext } from '../lib/context.js';
import type { Gateway } from '../lib/gateway.js';
import { startGateway } from '../lib/gateway.js';
import { organizationPopulation } from '../lib/organization-population.js';
import type { BareWs } from '../lib/population.js';
import { barePopulation, startBareWs, untilEmpty } from '../lib/population.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, fmtRatio, verdict } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { KickResult, WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';

type Side = 'gateway' | 'bare';
const TARGET = 2.5;

export async function scenarioIncident(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  const members = ctx.quick ? 10 : 500;
  let gw: Gateway | null = null;
  let bare: BareWs | null = null;
  let client: WsClient | null = null;
  try {
    gw = await startGateway('s9-gateway', { databaseUrl: ctx.databaseUrl });
    bare = await startBareWs('s9-bare-ws');
    client = await startWsClient();
    const results: Record<Side, KickResult[]> = { gateway: [], bare: [] };
    for (let run = 0; run < ctx.runs; run++) {
      const sides: Side[] = run % 2 ? ['bare', 'gateway'] : ['gateway', 'bare'];
      for (const side of sides) {
        const what = `s9 run ${run + 1} ${side} ${n}`;
        let r: KickResult;
        if (side === 'gateway') {
          const population = await organizationPopulation(gw, client, n, members);
          await population.prepare();
          r = await client.kick(population.batchKick(population.ids));
          assertKick(what, r);
          await untilEmpty(population);
        } else {
          const population = await barePopulation(bare, client, n);
          r = await client.kick(population.batchKick(population.ids));
          assertKick(what, r);
          await untilEmpty(population);
        }
        results[side].push(r);
        ctx.log(`${what}: response ${fmt(r.responseMs, 0)} ms; from the request, event p50/max ${fmt(r.eventFromRequest.p50, 0)}/${fmt(r.eventFromRequest.max, 0)} ms, close p50/max ${fmt(r.closeFromRequest.p50, 0)}/${fmt(r.closeFromRequest.max, 0)} ms`);
      }
    }
    const med = (side: Side, pick: (r: KickResult) => number) => median(results[side].map(pick));
    const ratio = (pick: (r: KickResult) => number) => median(results.gateway.map((g, i) => pick(g) / pick(results.bare[i] ?? g)));
    const lastClose = ratio((r) => r.closeFromRequest.max);
    const met = lastClose <= TARGET;
    const row = (side: Side, label: string) => [
      fmt(n, 0),
      label,
      fmt(med(side, (r) => r.responseMs), 0),
      `${fmt(med(side, (r) => r.eventFromRequest.p50), 0)} / ${fmt(med(side, (r) => r.eventFromRequest.max), 0)}`,
      `${fmt(med(side, (r) => r.closeFromRequest.p50), 0)} / ${fmt(med(side, (r) => r.closeFromRequest.max), 0)}`,
    ];
    return {
      id: 's9',
      title: '9. The incident button: an organisation signed out',
      tables: [
        {
          title: `revokeOrganizationSessions over ${fmt(n, 0)} sessions of ${fmt(members, 0)} members, one socket each (PostgreSQL), against the bare ws kick of as many sockets; ms from the request's start, median of ${ctx.runs} runs`,
          headers: ['sockets', 'server', 'response ms', 'event p50 / last', 'close p50 / last'],
          rows: [row('gateway', 'gateway: revokeOrganizationSessions'), row('bare', 'bare ws')],
        },
      ],
      notes: [
        `Time to the last socket's close, gateway vs bare (median of per-run ratios): ${fmtRatio(lastClose)} (target ≤ ${TARGET}×, as scenario 3's batch: ${verdict(met)}); every socket heard its own REVOKED before its 4403 close (checked).`,
      ],
      raw: results,
    };
  } finally {
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
  }
}
