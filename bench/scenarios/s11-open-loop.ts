// Scenario 11: scenario 6 with users who arrive on their own. The same kick of 10,000 sockets 3 s
// into an 8-s load, on both designs (sockets in the HTTP process, and in a live worker), but the
// load is open-loop (bench/procs/open-load.ts): a fixed rate, a third of what the gateway answers
// under scenario 6's closed loop in the same run, each latency from when the request was due. A
// stall of the answering thread then counts for every request due during it, not only for the 32
// in flight of scenario 6's closed loop.
import type { BenchContext } from '../lib/context.js';
import type { Gateway } from '../lib/gateway.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { LoadResult } from '../lib/load.js';
import { assertClean } from '../lib/load.js';
import type { OpenLoadGenerator, OpenLoadSpec } from '../lib/open-load.js';
import { startOpenLoad } from '../lib/open-load.js';
import type { Population } from '../lib/population.js';
import { gatewayPopulation, untilEmpty } from '../lib/population.js';
import { sleep } from '../lib/proc.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, fmtRatio, verdict } from '../lib/report.js';
import { BROWSER_UA } from '../lib/sql.js';
import { median } from '../lib/stats.js';
import type { WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';
import { ME_QUERY } from '../procs/constants.js';
import { CONNECTIONS, measureMe } from './s1-query.js';
import { asRemoteClient, runsOf, wantedDesigns } from './s6-interference.js';

/**
 * The open loop's rate: this share of the closed loop's throughput, measured on the first design's
 * gateway and used for both. A fixed rate was near saturation on a slower day (p99 alone 74–337 ms,
 * timeouts), which measures the queue, not the kick.
 */
const LOAD_SHARE = 1 / 3;

type LoadKey = 'me' | 'verify';
type Rates = Record<LoadKey, number>;

interface Pair {
  alone: LoadResult;
  kicked: LoadResult;
}

interface Mode {
  key: 'inline' | 'worker';
  label: string;
  runs: Record<LoadKey, Pair>[];
}

export async function scenarioOpenLoop(ctx: BenchContext): Promise<ScenarioReport> {
  const n = ctx.quick ? 200 : 10_000;
  const durationS = ctx.quick ? 3 : 8;
  const kickAtMs = ctx.quick ? 1000 : 3000;
  const runCount = runsOf(ctx);
  let rates: Rates | null = null;
  let client: WsClient | null = null;
  let load: OpenLoadGenerator | null = null;
  const modes: Mode[] = [];
  try {
    client = await startWsClient();
    asRemoteClient(client);
    load = await startOpenLoad();
    const c = client;
    const l = load;
    for (const [key, label] of wantedDesigns()) {
      let gw: Gateway | null = null;
      try {
        gw = await startGateway(`s11-gateway-${key}`, { databaseUrl: ctx.databaseUrl, liveWorker: key === 'worker' });
        const g = gw;
        const user = await seedUser(g, 1, 0);
        const headers = authHeaders(user.token);
        const verifyHeaders = { cookie: headers.cookie ?? '', 'user-agent': BROWSER_UA };
        if (!rates) {
          const calibrateS = ctx.quick ? 1 : 3;
          // Warm first (as scenario 6 does): a cold gateway answers a fraction of its rate.
          await measureMe(ctx, g.graphqlUrl, headers, 2);
          await ctx.load.run({ url: `${g.url}/auth/verify`, method: 'GET', headers: verifyHeaders, connections: CONNECTIONS, durationS: 2 });
          const me = await measureMe(ctx, g.graphqlUrl, headers, calibrateS);
          const verify = await ctx.load.run({ url: `${g.url}/auth/verify`, method: 'GET', headers: verifyHeaders, connections: CONNECTIONS, durationS: calibrateS });
          rates = { me: Math.round(me.rps * LOAD_SHARE), verify: Math.round(verify.rps * LOAD_SHARE) };
          ctx.log(`s11 rates: me ${fmt(rates.me, 0)} req/s (closed loop ${fmt(me.rps, 0)}), verify ${fmt(rates.verify, 0)} req/s (closed loop ${fmt(verify.rps, 0)})`);
        }
        const r = rates;
        const specs: Record<LoadKey, (s: number) => OpenLoadSpec> = {
          me: (s) => ({ url: g.graphqlUrl, method: 'POST', headers, body: JSON.stringify({ query: ME_QUERY }), rate: r.me, durationS: s, maxConnections: 256 }),
          verify: (s) => ({ url: `${g.url}/auth/verify`, method: 'GET', headers: verifyHeaders, rate: r.verify, durationS: s, maxConnections: 256 }),
        };
        for (const k of ['me', 'verify'] as const) await l.run(specs[k](2));
        const kicked = async (k: LoadKey, population: Population): Promise<LoadResult> => {
          const running = l.run(specs[k](durationS));
          await sleep(kickAtMs);
          const kick = await c.kick(population.batchKick(population.ids));
          const result = await running;
          assertKick(`s11 ${key} ${k} kick`, kick);
          await untilEmpty(population);
          return result;
        };
        const runs: Record<LoadKey, Pair>[] = [];
        for (let run = 0; run < runCount; run++) {
          const pairs = {} as Record<LoadKey, Pair>;
          for (const k of ['me', 'verify'] as const) {
            const alone = await l.run(specs[k](durationS));
            const withKick = await kicked(k, await gatewayPopulation(g, c, n));
            assertClean(`s11 ${key} ${k} alone`, alone);
            assertClean(`s11 ${key} ${k} kicked`, withKick);
            pairs[k] = { alone, kicked: withKick };
          }
          runs.push(pairs);
          ctx.log(`s11 ${key} run ${run + 1}: ${(['me', 'verify'] as const).map((k) => `${k} p99 alone ${fmt(pairs[k].alone.p99, 2)} ms, during the kick ${fmt(pairs[k].kicked.p99, 2)} ms`).join('; ')}`);
        }
        modes.push({ key, label, runs });
      } finally {
        await gw?.stop().catch(() => undefined);
      }
    }
  } finally {
    await client?.stop().catch(() => undefined);
    await load?.stop().catch(() => undefined);
  }
  const rows = modes.flatMap((mode) =>
    (['me', 'verify'] as const).flatMap((k) => {
      const med = (pick: (p: Pair) => number) => median(mode.runs.map((r) => pick(r[k])));
      const what = k === 'me' ? '`me`' : '`/auth/verify`';
      const line = (label: string, pick: (p: Pair) => LoadResult, ratio: string) => [`${mode.label}: ${what} ${label}`, fmt(med((p) => pick(p).rps), 0), fmt(med((p) => pick(p).p50), 2), fmt(med((p) => pick(p).p99), 2), fmt(med((p) => pick(p).max), 1), ratio];
      return [line('alone', (p) => p.alone, '1.00×'), line(`while ${fmt(n, 0)} sockets are kicked`, (p) => p.kicked, fmtRatio(med((p) => p.kicked.p99 / p.alone.p99)))];
    }),
  );
  const notes = modes.flatMap((mode) =>
    (['me', 'verify'] as const).map((k) => {
      const ratios = mode.runs.map((r) => r[k].kicked.p99 / r[k].alone.p99);
      return `${mode.label}: ${k === 'me' ? '`me`' : '`/auth/verify`'} p99 during the kick ≤ 2× alone (open loop): ${fmtRatio(median(ratios))} (runs ${ratios.map(fmtRatio).join(', ')}) — ${verdict(median(ratios) <= 2)}.`;
    }),
  );
  return {
    id: 's11',
    title: '11. Interference, open loop',
    tables: [
      {
        title: `Open-loop loads (\`me\` ${fmt(rates?.me ?? 0, 0)} req/s, \`/auth/verify\` ${fmt(rates?.verify ?? 0, 0)} req/s: a third of the closed loop's throughput; ${durationS} s, latency from when each request was due); a batch kick of ${fmt(n, 0)} sockets ${kickAtMs / 1000} s in. Median of ${runCount} runs`,
        headers: ['gateway: load', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs alone'],
        rows,
      },
    ],
    notes,
    raw: modes.map((m) => ({ mode: m.key, runs: m.runs })),
  };
}
