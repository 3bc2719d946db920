// Scenario 5: two gateway processes sharing PostgreSQL and a (private) Redis. Sockets live on
// instance B; single revocations go alternately to B (same instance) and to A (the kick then
// travels A → Redis → B). The extra latency of the hop is cross minus same, per run.
import { Redis } from 'ioredis';
import type { BenchContext } from '../lib/context.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { Gateway, SeededUser } from '../lib/gateway.js';
import type { RedisHandle } from '../lib/env.js';
import { startRedis } from '../lib/env.js';
import { sleep, until } from '../lib/proc.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, verdict } from '../lib/report.js';
import type { Summary } from '../lib/stats.js';
import { median, summarize } from '../lib/stats.js';
import type { WsClient } from '../lib/ws-client.js';
import { assertKick, startWsClient } from '../lib/ws-client.js';

interface Run {
  same: Summary;
  cross: Summary;
  sameFromRequest: Summary;
  crossFromRequest: Summary;
}

/** The floor of the hop: publish → message on a loopback Redis, measured alone. */
async function redisHop(url: string, samples: number): Promise<Summary> {
  const pub = new Redis(url);
  const sub = new Redis(url);
  try {
    await sub.subscribe('bench-hop');
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      const heard = new Promise<void>((resolve) => sub.once('message', () => resolve()));
      await pub.publish('bench-hop', String(i));
      await heard;
      times.push(performance.now() - started);
    }
    return summarize(times);
  } finally {
    pub.disconnect();
    sub.disconnect();
  }
}

export async function scenarioCrossInstance(ctx: BenchContext): Promise<ScenarioReport> {
  const perMode = ctx.quick ? 10 : 100;
  let redis: RedisHandle | null = null;
  const gateways: Gateway[] = [];
  let client: WsClient | null = null;
  try {
    redis = await startRedis();
    const a = await startGateway('s5-a', { databaseUrl: ctx.databaseUrl, redisUrl: redis.url });
    gateways.push(a);
    const b = await startGateway('s5-b', { databaseUrl: ctx.databaseUrl, redisUrl: redis.url });
    gateways.push(b);
    client = await startWsClient();
    const hop = await redisHop(redis.url, ctx.quick ? 50 : 500);
    ctx.log(`s5 Redis publish → message alone: p50 ${fmt(hop.p50, 3)} ms, p99 ${fmt(hop.p99, 3)} ms`);
    const runs: Run[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      // One user per kick, each with one socket on B: the kick is then the only work B does, in
      // both modes. (With every socket of one user on B, each revocation also made B push the
      // others' list updates, whose tail delayed B's own response and the next kick alike.)
      const users: SeededUser[] = [];
      for (let i = 0; i < perMode * 2; i++) users.push(await seedUser(a, 1, 1));
      const entries = users.map((u) => ({ token: u.sessions[0]!.token, ownId: u.sessions[0]!.id }));
      const opened = await client.open({ url: b.wsUrl, entries, subscribe: true, concurrency: 50, timeoutMs: 30_000 });
      if (opened.failed) throw new Error(`s5: ${opened.failed} sockets failed to open: ${opened.firstError ?? ''}`);
      await until('s5 subscriptions on B', async () => (await b.stats()).streams >= perMode * 2, 60_000, 100);
      const times = { same: [] as number[], cross: [] as number[], sameReq: [] as number[], crossReq: [] as number[] };
      for (const [i, user] of users.entries()) {
        const cross = i % 2 === 1;
        const via = cross ? a : b;
        const own = user.sessions[0]!.id;
        const r = await client.kick({
          url: via.graphqlUrl,
          headers: authHeaders(user.token),
          body: JSON.stringify({ query: 'mutation ($id: ID!) { revokeSession(id: $id) { id } }', variables: { id: own } }),
          expectIds: [own],
          timeoutMs: 10_000,
        });
        assertKick(`s5 ${cross ? 'cross' : 'same'}`, r);
        (cross ? times.cross : times.same).push(r.event.p50);
        (cross ? times.crossReq : times.sameReq).push(r.eventFromRequest.p50);
        // Each kick starts from idle processes: the previous close handshake is over.
        await sleep(10);
      }
      await until('s5 sockets gone', async () => (await b.stats()).connections === 0, 30_000, 100);
      const result: Run = { same: summarize(times.same), cross: summarize(times.cross), sameFromRequest: summarize(times.sameReq), crossFromRequest: summarize(times.crossReq) };
      runs.push(result);
      ctx.log(`s5 run ${run + 1}: event from response p50/p99 same ${fmt(result.same.p50, 2)}/${fmt(result.same.p99, 2)} ms, cross ${fmt(result.cross.p50, 2)}/${fmt(result.cross.p99, 2)} ms`);
    }
    const med = (pick: (r: Run) => number) => median(runs.map(pick));
    const extraP50 = med((r) => r.cross.p50 - r.same.p50);
    const extraP99 = med((r) => r.cross.p99 - r.same.p99);
    const extraReqP50 = med((r) => r.crossFromRequest.p50 - r.sameFromRequest.p50);
    const extraReqP99 = med((r) => r.crossFromRequest.p99 - r.sameFromRequest.p99);
    const row = (label: string, pick: (r: Run) => Summary) => [label, fmt(med((r) => pick(r).p50), 2), fmt(med((r) => pick(r).p99), 2), fmt(med((r) => pick(r).max), 2)];
    return {
      id: 's5',
      title: '5. Cross-instance hop',
      tables: [
        {
          title: `Single revocation → the socket's REVOKED event (ms), ${perMode} kicks per mode per run, median of ${ctx.runs} runs`,
          headers: ['mutation sent to', 'p50', 'p99', 'max'],
          rows: [
            row('B, the socket\'s instance (from response)', (r) => r.same),
            row('A, the other instance, via Redis (from response)', (r) => r.cross),
            row('B (from request)', (r) => r.sameFromRequest),
            row('A via Redis (from request)', (r) => r.crossFromRequest),
            ['**extra for the hop (from request)**', fmt(extraReqP50, 2), fmt(extraReqP99, 2), ''],
            ['extra for the hop (from response)', fmt(extraP50, 2), fmt(extraP99, 2), ''],
            ['floor: Redis publish → message alone (loopback)', fmt(hop.p50, 3), fmt(hop.p99, 3), fmt(hop.max, 3)],
          ],
        },
      ],
      notes: [
        // From the request: what the user sees between the click and the other tab's kick. From the
        // response, the same-instance side is flattered: its response waits for its own fan-out.
        `Target ≤ 1 ms added at p50: ${fmt(extraReqP50, 2)} ms — ${verdict(extraReqP50 <= 1)}; ≤ 5 ms at p99: ${fmt(extraReqP99, 2)} ms — ${verdict(extraReqP99 <= 5)} (from the request; from the response: ${fmt(extraP50, 2)} / ${fmt(extraP99, 2)} ms).`,
      ],
      raw: { runs, hop },
    };
  } finally {
    await client?.stop().catch(() => undefined);
    await Promise.all(gateways.map((g) => g.stop().catch(() => undefined)));
    await redis?.stop().catch(() => undefined);
  }
}
