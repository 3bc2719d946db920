// Scenario 2: `sessions` (the web client's SessionFields) for a user with 1,000 live sessions
// in 10 organisations, against the same rows by one raw SQL statement through the same driver,
// served as JSON by a side port of the same gateway process.
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { summarizeProfile } from '../lib/profile.js';
import type { Gateway } from '../lib/gateway.js';
import { authHeaders, seedUser, startGateway } from '../lib/gateway.js';
import type { LoadResult } from '../lib/load.js';
import { assertClean } from '../lib/load.js';
import type { ScenarioReport, Table } from '../lib/report.js';
import { fmt, fmtRange, fmtRatio, profileTables, verdict } from '../lib/report.js';
import { median, spread } from '../lib/stats.js';

export const SESSIONS_QUERY = `{ sessions { id browser os device ipAddress location role isCurrent createdAt lastActiveAt expiresAt organization { id name } } }`;
const CONNECTIONS = 8;

interface Side {
  key: string;
  label: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function scenarioSessions(ctx: BenchContext): Promise<ScenarioReport> {
  const sessions = ctx.quick ? 100 : 1000;
  const organizations = 10;
  const durationS = ctx.quick ? 2 : 8;
  const gateways: Gateway[] = [];
  try {
    const databases: [string, string, Parameters<typeof startGateway>[1]][] = [
      ['pg', 'PostgreSQL', { databaseUrl: ctx.databaseUrl }],
      ['pglite', 'PGlite', {}],
    ];
    const tables: Table[] = [];
    const notes: string[] = [];
    const raw: Record<string, Record<string, LoadResult[]>> = {};
    for (const [key, label, args] of databases) {
      ctx.log(`s2 ${key}: seeding ${sessions} sessions in ${organizations} organisations`);
      const gw = await startGateway(`s2-${key}`, args);
      gateways.push(gw);
      const user = await seedUser(gw, organizations, sessions - 1);
      const check = await gw.gql<{ sessions: { id: string }[] }>(SESSIONS_QUERY, user.token);
      if (check.sessions.length !== sessions) throw new Error(`s2 ${key}: sessions returned ${check.sessions.length}, expected ${sessions}`);
      const rawCheck = await fetch(gw.rawUrl, { method: 'POST', body: JSON.stringify({ userId: user.userId }) });
      const rawRows = ((await rawCheck.json()) as { data: { sessions: unknown[] } }).data.sessions.length;
      if (rawRows !== sessions) throw new Error(`s2 ${key}: raw query returned ${rawRows} rows, expected ${sessions}`);
      const sides: Side[] = [
        { key: 'gateway', label: `gateway \`sessions\``, url: gw.graphqlUrl, headers: authHeaders(user.token), body: JSON.stringify({ query: SESSIONS_QUERY }) },
        { key: 'raw', label: 'raw SQL → JSON', url: gw.rawUrl, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user.userId }) },
      ];
      const results: Record<string, LoadResult[]> = { gateway: [], raw: [] };
      for (let run = 0; run < ctx.runs; run++) {
        for (const side of run % 2 ? [...sides].reverse() : sides) {
          await ctx.load.run({ url: side.url, headers: side.headers, body: side.body, connections: CONNECTIONS, durationS: 1 });
          const r = await ctx.load.run({ url: side.url, headers: side.headers, body: side.body, connections: CONNECTIONS, durationS });
          assertClean(`s2 ${key} ${side.key}`, r);
          results[side.key]?.push(r);
          ctx.log(`s2 ${key} run ${run + 1} ${side.key}: ${fmt(r.rps)} req/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms`);
        }
      }
      raw[key] = results;
      const gwRps = (results.gateway ?? []).map((r) => r.rps);
      const rawRps = (results.raw ?? []).map((r) => r.rps);
      const ratio = median(gwRps.map((v, i) => v / (rawRps[i] ?? Number.NaN)));
      tables.push({
        title: `${label}: ${sessions} live sessions in ${organizations} organisations, ${CONNECTIONS} connections, ${durationS} s per run, median of ${ctx.runs} (range)`,
        headers: ['side', 'req/s', 'p50 ms', 'p99 ms', 'vs raw'],
        rows: sides.map((side) => {
          const rs = results[side.key] ?? [];
          return [
            side.label,
            `${fmt(median(rs.map((r) => r.rps)))} (${fmtRange(spread(rs.map((r) => r.rps)))})`,
            fmt(median(rs.map((r) => r.p50)), 2),
            fmt(median(rs.map((r) => r.p99)), 2),
            side.key === 'gateway' ? fmtRatio(ratio) : '1.00×',
          ];
        }),
      });
      if (key === 'pg') {
        // Where the gateway's time goes on this query (the same profiler as node --cpu-prof).
        const file = path.join(ctx.outDir, 's2-gateway-postgres.cpuprofile');
        await gw.proc.call('profileStart', { intervalUs: 250 });
        const gwSide = sides[0] as Side;
        await ctx.load.run({ url: gwSide.url, headers: gwSide.headers, body: gwSide.body, connections: CONNECTIONS, durationS });
        await gw.proc.call('profileStop', { file });
        const profile = await summarizeProfile(file, 12);
        tables.push(...profileTables(profile, 'CPU profile of the gateway serving `sessions` (PostgreSQL): top self-time frames', false));
      }
      notes.push(`${label}: target ≥ 0.60× the raw query: ${fmtRatio(ratio)} — ${verdict(ratio >= 0.6)}.`);
    }
    return { id: 's2', title: '2. Session list', tables, notes, raw };
  } finally {
    await Promise.all(gateways.map((g) => g.stop().catch(() => undefined)));
  }
}
