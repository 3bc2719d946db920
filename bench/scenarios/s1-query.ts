// Scenario 1: `{ me { id currentOrganizationRole } }` with a session cookie on the gateway
// (PGlite and PostgreSQL, session cache on and off; PostgreSQL + Redis, where the cache checks
// each row's auth epoch with one Redis GET) against a bare Yoga server returning a
// constant user, and bare Yoga against bare node:http. Every target is measured in every run, in
// rotated order, so drift on the shared machine hits them alike.
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import type { RedisHandle } from '../lib/env.js';
import { startRedis } from '../lib/env.js';
import type { Gateway } from '../lib/gateway.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { LoadResult } from '../lib/load.js';
import { assertClean } from '../lib/load.js';
import type { Proc } from '../lib/proc.js';
import { spawnProc } from '../lib/proc.js';
import type { ProfileSummary } from '../lib/profile.js';
import { summarizeProfile } from '../lib/profile.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, fmtRange, fmtRatio, profileTables, verdict } from '../lib/report.js';
import { median, spread } from '../lib/stats.js';
import { ME_QUERY } from '../procs/constants.js';

export const CONNECTIONS = 32;

interface Target {
  key: string;
  label: string;
  url: string;
  headers: Record<string, string>;
  /** Default: the `me` query. */
  query?: string;
  /** The gateway's process, for the CPU profile. */
  gateway?: Gateway;
  stop(): Promise<void>;
}

export interface MeTarget {
  gateway: Gateway;
  token: string;
}

/** A gateway with one signed-up user whose cookie the load sends. */
export async function startMeTarget(name: string, args: Parameters<typeof startGateway>[1], nodeArgs: string[] = []): Promise<MeTarget> {
  const gateway = await startGateway(name, args, nodeArgs);
  const user = await seedUser(gateway, 1, 0);
  // Check the answer once: a load of refusals would be fast and meaningless.
  const me = await gateway.gql<{ me: { id: string; currentOrganizationRole: string } }>(ME_QUERY, user.token);
  if (me.me.id !== user.userId || me.me.currentOrganizationRole !== 'OWNER') throw new Error(`${name}: unexpected me ${JSON.stringify(me)}`);
  return { gateway, token: user.token };
}

async function bare(key: string, label: string, script: string, args: unknown): Promise<Target> {
  const proc: Proc<{ url: string }> = await spawnProc(key, script, args);
  const url = `${proc.info.url}/graphql`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ME_QUERY }) });
  const text = await res.text();
  if (!text.includes('"currentOrganizationRole":"OWNER"')) throw new Error(`${key}: unexpected answer ${text}`);
  return { key, label, url, headers: { 'content-type': 'application/json' }, stop: () => proc.stop() };
}

function gatewayTarget(key: string, label: string, t: MeTarget, extra: Partial<Target> = {}): Target {
  return { key, label, url: t.gateway.graphqlUrl, headers: authHeaders(t.token), gateway: t.gateway, stop: () => t.gateway.stop(), ...extra };
}

/**
 * The same gateway process, asked `{ __typename }`: context, plugins and Yoga without the session
 * check or a resolver. With and without a browser User-Agent, which the context parses per request.
 */
function overheadTargets(t: MeTarget): Target[] {
  const noUa = { ...authHeaders(t.token) };
  delete noUa['user-agent'];
  const none = async () => undefined;
  return [
    { key: 'gw-pg-typename', label: 'gateway (same process), `{ __typename }`, cookie + browser UA', url: t.gateway.graphqlUrl, headers: authHeaders(t.token), query: TYPENAME_QUERY, stop: none },
    { key: 'gw-pg-typename-noua', label: 'gateway (same process), `{ __typename }`, no User-Agent', url: t.gateway.graphqlUrl, headers: noUa, query: TYPENAME_QUERY, stop: none },
    { key: 'gw-pg-noua', label: 'gateway, PostgreSQL, cache, `me` without User-Agent', url: t.gateway.graphqlUrl, headers: noUa, stop: none },
  ];
}

const TYPENAME_QUERY = '{ __typename }';
/** Back-to-back gateway / bare Yoga pairs for the verdict, and the seconds of each half. */
const PAIRS = 8;
const PAIR_S = 3;

export async function measureMe(ctx: BenchContext, url: string, headers: Record<string, string>, durationS: number, query = ME_QUERY): Promise<LoadResult> {
  return ctx.load.run({ url, headers, body: JSON.stringify({ query }), connections: CONNECTIONS, durationS });
}

/** Seconds per measurement (after 1 s of warm-up): 8, and 10 targets × 3 runs keep the full run within ~25 minutes. */
export const loadSeconds = (ctx: BenchContext): number => (ctx.quick ? 2 : 8);

/**
 * Every target measured in every run, the order rotated each run so that the host's drift falls
 * on all of them; each measurement after 1 s of warm-up. `id` names the scenario in the log.
 */
export async function interleaved<T extends { key: string }>(ctx: BenchContext, id: string, targets: T[], measure: (t: T, seconds: number) => Promise<LoadResult>): Promise<Map<string, LoadResult[]>> {
  const results = new Map<string, LoadResult[]>(targets.map((t) => [t.key, []]));
  for (let run = 0; run < ctx.runs; run++) {
    const order = targets.map((_, i) => targets[(i + run) % targets.length] as T);
    for (const t of order) {
      await measure(t, 1);
      const r = await measure(t, loadSeconds(ctx));
      assertClean(`${id} ${t.key}`, r);
      results.get(t.key)?.push(r);
      ctx.log(`${id} run ${run + 1} ${t.key}: ${fmt(r.rps)} req/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms`);
    }
  }
  return results;
}

/** The median over runs of a's throughput over b's, both measured in each run. */
export function perRunRatio(results: Map<string, LoadResult[]>, a: string, b: string): number {
  const rps = (key: string) => results.get(key)?.map((r) => r.rps) ?? [];
  return median(rps(a).map((v, i) => v / (rps(b)[i] ?? Number.NaN)));
}

/** A throughput table's row: req/s median (range), p50, p99, and the ratio as shown. */
export function throughputRow(label: string, rs: LoadResult[], ratio: string): string[] {
  const rps = rs.map((r) => r.rps);
  return [label, `${fmt(median(rps), 0)} (${fmtRange(spread(rps), 0)})`, fmt(median(rs.map((r) => r.p50)), 2), fmt(median(rs.map((r) => r.p99)), 2), ratio];
}

export async function scenarioQuery(ctx: BenchContext): Promise<ScenarioReport> {
  const durationS = loadSeconds(ctx);
  const targets: Target[] = [];
  let redis: RedisHandle | null = null;
  try {
    ctx.log('s1: starting servers');
    const gwPgTarget = await startMeTarget('gw-pg', { databaseUrl: ctx.databaseUrl });
    targets.push(gatewayTarget('gw-pg', 'gateway, PostgreSQL, session cache (default 10 s)', gwPgTarget));
    if (!ctx.quick) targets.push(...overheadTargets(gwPgTarget));
    // The issue's target with REDIS_URL: the cache on by default, each hit confirmed by one GET.
    redis = await startRedis();
    targets.push(gatewayTarget('gw-pg-redis', 'gateway, PostgreSQL + Redis, session cache with auth epochs', await startMeTarget('gw-pg-redis', { databaseUrl: ctx.databaseUrl, redisUrl: redis.url })));
    // Quick mode (CI smoke test) keeps one target per kind of server.
    if (!ctx.quick) targets.push(gatewayTarget('gw-pg-nocache', 'gateway, PostgreSQL, no cache (query per request)', await startMeTarget('gw-pg-nocache', { databaseUrl: ctx.databaseUrl, sessionCacheTtlSeconds: 0 })));
    targets.push(gatewayTarget('gw-pglite', 'gateway, PGlite, session cache (default 10 s)', await startMeTarget('gw-pglite', {})));
    if (!ctx.quick) targets.push(gatewayTarget('gw-pglite-nocache', 'gateway, PGlite, no cache', await startMeTarget('gw-pglite-nocache', { sessionCacheTtlSeconds: 0 })));
    targets.push(await bare('yoga', 'bare Yoga, constant user', 'bench/procs/bare-yoga.ts', {}));
    if (!ctx.quick) targets.push(await bare('yoga-jit', 'bare Yoga + graphql-jit', 'bench/procs/bare-yoga.ts', { jit: true }));
    targets.push(await bare('http', 'bare node:http, same JSON', 'bench/procs/bare-http.ts', {}));

    const results = await interleaved(ctx, 's1', targets, (t, seconds) => measureMe(ctx, t.url, t.headers, seconds, t.query));

    // The verdict's pairs: the gateway and bare Yoga back to back, the first of each pair
    // alternating, so that the shared host's drift (4× in one afternoon here) falls on both sides of
    // each ratio. In the table above, the two can be a minute apart.
    const pairRatios: number[] = [];
    const gwSide = targets.find((t) => t.key === 'gw-pg');
    const yogaSide = targets.find((t) => t.key === 'yoga');
    for (let i = 0; gwSide && yogaSide && i < (ctx.quick ? 0 : PAIRS); i++) {
      const gwFirst = i % 2 === 0;
      const [a, b] = gwFirst ? [gwSide, yogaSide] : [yogaSide, gwSide];
      const first = await measureMe(ctx, a.url, a.headers, PAIR_S);
      const second = await measureMe(ctx, b.url, b.headers, PAIR_S);
      const [gw, yoga] = gwFirst ? [first, second] : [second, first];
      assertClean('s1 pair', gw);
      pairRatios.push(gw.rps / yoga.rps);
      ctx.log(`s1 pair ${i + 1}: gateway ${fmt(gw.rps)} req/s, bare Yoga ${fmt(yoga.rps)} req/s → ${fmtRatio(gw.rps / yoga.rps)}`);
    }

    // A CPU profile of the gateway (PostgreSQL, cache on) under the same load.
    let profile: ProfileSummary | null = null;
    const gwPg = targets.find((t) => t.key === 'gw-pg');
    if (gwPg?.gateway) {
      const { proc } = gwPg.gateway;
      const file = path.join(ctx.outDir, 's1-gateway-postgres.cpuprofile');
      await proc.call('profileStart', { intervalUs: 250 });
      const r = await measureMe(ctx, gwPg.url, gwPg.headers, durationS);
      await proc.call('profileStop', { file });
      profile = await summarizeProfile(file);
      ctx.log(`s1 profile: ${fmt(r.rps)} req/s while profiling → ${file}`);
    }

    const vsYoga = (key: string) => perRunRatio(results, key, 'yoga');
    const rows = targets.map((t) => throughputRow(t.label, results.get(t.key) ?? [], t.key === 'yoga' ? '1.00×' : fmtRatio(vsYoga(t.key))));
    const pgRatio = vsYoga('gw-pg');
    const pairedRatio = pairRatios.length > 0 ? median(pairRatios) : pgRatio;
    const tables = [
      {
        title: `Authenticated \`me\` query, ${CONNECTIONS} connections, ${durationS} s per run, median of ${ctx.runs} (range)`,
        headers: ['target', 'req/s', 'p50 ms', 'p99 ms', 'throughput vs bare Yoga'],
        rows,
      },
    ];
    if (profile) {
      tables.push(...profileTables(profile, `CPU profile of the gateway (PostgreSQL, cache on) under this load: top self-time frames (${fmt(profile.busyMs, 0)} ms busy, ${fmt(profile.idlePercent)} % idle)`));
    }
    return {
      id: 's1',
      title: '1. Authenticated query throughput',
      tables,
      notes: [
        `Target ≥ 0.80× bare Yoga on PostgreSQL: ${fmtRatio(pairedRatio)} — ${verdict(pairedRatio >= 0.8)}${pairRatios.length > 0 ? ` (median of ${pairRatios.length} back-to-back pairs of ${PAIR_S} s: ${pairRatios.map((r) => fmtRatio(r)).join(', ')}; the table's runs: ${fmtRatio(pgRatio)})` : ''}.`,
        `With REDIS_URL (session cache with auth epochs): ${fmtRatio(vsYoga('gw-pg-redis'))} of bare Yoga — target ≥ 1.00×: ${verdict(vsYoga('gw-pg-redis') >= 1)}.`,
        `PGlite: ${fmtRatio(vsYoga('gw-pglite'))} of bare Yoga; without the cache ${fmtRatio(vsYoga('gw-pg-nocache'))} (PostgreSQL) and ${fmtRatio(vsYoga('gw-pglite-nocache'))} (PGlite).`,
        `Bare Yoga is ${fmtRatio(perRunRatio(results, 'yoga', 'http'))} of bare node:http; graphql-jit makes bare Yoga ${fmtRatio(vsYoga('yoga-jit'))}.`,
        ...(ctx.quick
          ? []
          : [
              `Where the gap opens (same gateway process, vs bare Yoga): \`{ __typename }\` with a browser UA ${fmtRatio(vsYoga('gw-pg-typename'))}, without a UA ${fmtRatio(vsYoga('gw-pg-typename-noua'))}; \`me\` without a UA ${fmtRatio(vsYoga('gw-pg-noua'))} (with one ${fmtRatio(pgRatio)}).`,
            ]),
      ],
      raw: { results: Object.fromEntries(results), pairRatios, profile },
    };
  } finally {
    await Promise.all(targets.map((t) => t.stop().catch(() => undefined)));
    await redis?.stop().catch(() => undefined);
  }
}
