// Scenario 6: scenario 1's load (`me` with a cookie) on a gateway that also holds 10,000
// subscription sockets, alone and while those sockets are kicked in one batch 3 s into the load.
import type { BenchContext } from '../lib/context.js';
import type { Gateway } from '../lib/gateway.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { LoadResult } from '../lib/load.js';
import { assertClean } from '../lib/load.js';
import { gatewayPopulation, untilEmpty } from '../lib/population.js';
import { sleep } from '../lib/proc.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, fmtRatio, verdict } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { KickResult, WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';
import { measureMe } from './s1-query.js';

interface Run {
  alone: LoadResult;
  kicked: LoadResult;
  kick: KickResult;
}

export async function scenarioInterference(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  const durationS = ctx.quick ? 3 : 8;
  const kickAtMs = ctx.quick ? 1000 : 3000;
  let gw: Gateway | null = null;
  let client: WsClient | null = null;
  try {
    gw = await startGateway('s6-gateway', { databaseUrl: ctx.databaseUrl });
    client = await startWsClient();
    const loadUser = await seedUser(gw, 1, 0);
    const headers = authHeaders(loadUser.token);
    await measureMe(ctx, gw.graphqlUrl, headers, 2);
    const runs: Run[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      const population = await gatewayPopulation(gw, client, n);
      const alone = await measureMe(ctx, gw.graphqlUrl, headers, durationS);
      assertClean('s6 alone', alone);
      const loaded = measureMe(ctx, gw.graphqlUrl, headers, durationS);
      await sleep(kickAtMs);
      const kick = await client.kick(population.batchKick(population.ids));
      const kicked = await loaded;
      assertKick('s6 kick', kick);
      assertClean('s6 with kick', kicked);
      await untilEmpty(population);
      runs.push({ alone, kicked, kick });
      ctx.log(`s6 run ${run + 1}: p99 alone ${fmt(alone.p99, 2)} ms, during the kick ${fmt(kicked.p99, 2)} ms; kick close p99 ${fmt(kick.close.p99, 0)} ms`);
    }
    const med = (pick: (r: Run) => number) => median(runs.map(pick));
    const p99Ratio = med((r) => r.kicked.p99 / r.alone.p99);
    return {
      id: 's6',
      title: '6. Interference',
      tables: [
        {
          title: `\`me\` load (32 connections, ${durationS} s) on a gateway holding ${fmt(n, 0)} sockets; the batch kick starts ${kickAtMs / 1000} s in. Median of ${ctx.runs} runs`,
          headers: ['load', 'req/s', 'p50 ms', 'p99 ms', 'max ms'],
          rows: [
            ['alone (sockets idle)', fmt(med((r) => r.alone.rps), 0), fmt(med((r) => r.alone.p50), 2), fmt(med((r) => r.alone.p99), 2), fmt(med((r) => r.alone.max), 1)],
            [`while ${fmt(n, 0)} sockets are kicked`, fmt(med((r) => r.kicked.rps), 0), fmt(med((r) => r.kicked.p50), 2), fmt(med((r) => r.kicked.p99), 2), fmt(med((r) => r.kicked.max), 1)],
            ['ratio', fmtRatio(med((r) => r.kicked.rps / r.alone.rps)), fmtRatio(med((r) => r.kicked.p50 / r.alone.p50)), fmtRatio(p99Ratio), ''],
          ],
        },
      ],
      notes: [
        `Target p99 ≤ 2× alone: ${fmtRatio(p99Ratio)} — ${verdict(p99Ratio <= 2)}.`,
        `The kick itself under load: event p99 ${fmt(med((r) => r.kick.eventFromRequest.p99), 0)} ms, close p99 ${fmt(med((r) => r.kick.closeFromRequest.p99), 0)} ms from the request.`,
      ],
      raw: runs,
    };
  } finally {
    await client?.stop().catch(() => undefined);
    await gw?.stop().catch(() => undefined);
  }
}
