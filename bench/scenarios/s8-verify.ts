// Scenario 8: GET /auth/verify with a session cookie, as a reverse proxy forwards it, on the gateway
// (PostgreSQL, session cache on) against bare node:http answering the same five headers. Both are
// measured in every run, in rotated order, as in scenario 1.
import type { BenchContext } from '../lib/context.js';
import type { Proc } from '../lib/proc.js';
import { spawnProc } from '../lib/proc.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmtRatio } from '../lib/report.js';
import { BROWSER_UA } from '../lib/sql.js';
import { CONNECTIONS, interleaved, loadSeconds, perRunRatio, startMeTarget, throughputRow } from './s1-query.js';

interface Target {
  key: string;
  label: string;
  url: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/** One GET before the load: a load of refusals would be fast and meaningless. */
async function checkAnswer(key: string, url: string, headers: Record<string, string>, userId: string | null): Promise<void> {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const got = res.headers.get('x-user-id');
  if (res.status !== 200 || !got || (userId !== null && got !== userId)) throw new Error(`${key}: /auth/verify answered ${res.status}, X-User-Id ${got ?? 'absent'}`);
}

export async function scenarioVerify(ctx: BenchContext): Promise<ScenarioReport> {
  const durationS = loadSeconds(ctx);
  const targets: Target[] = [];
  try {
    ctx.log('s8: starting servers');
    const gw = await startMeTarget('gw-pg-verify', { databaseUrl: ctx.databaseUrl });
    targets.push({ key: 'gw-pg', label: 'gateway, PostgreSQL, session cache (default 10 s)', url: `${gw.gateway.url}/auth/verify`, headers: {}, stop: () => gw.gateway.stop() });
    const headers = { cookie: `sg_session=${gw.token}`, 'user-agent': BROWSER_UA };
    const me = await gw.gateway.gql<{ me: { id: string } }>('{ me { id } }', gw.token);
    await checkAnswer('s8 gw-pg', `${gw.gateway.url}/auth/verify`, headers, me.me.id);
    const proc: Proc<{ url: string }> = await spawnProc('bare-verify', 'bench/procs/bare-verify.ts', {});
    targets.push({ key: 'http', label: 'bare node:http, same five headers', url: `${proc.info.url}/auth/verify`, headers: {}, stop: () => proc.stop() });
    await checkAnswer('s8 http', `${proc.info.url}/auth/verify`, headers, null);
    for (const t of targets) t.headers = headers;

    const measure = (t: Target, s: number) => ctx.load.run({ url: t.url, method: 'GET', headers: t.headers, connections: CONNECTIONS, durationS: s });
    const results = await interleaved(ctx, 's8', targets, measure);

    const ratio = perRunRatio(results, 'gw-pg', 'http');
    const rows = targets.map((t) => throughputRow(t.label, results.get(t.key) ?? [], t.key === 'http' ? '1.00×' : fmtRatio(ratio)));
    return {
      id: 's8',
      title: '8. Forward auth',
      tables: [
        {
          title: `GET /auth/verify with a session cookie, ${CONNECTIONS} connections, ${durationS} s per run, median of ${ctx.runs} (range)`,
          headers: ['target', 'req/s', 'p50 ms', 'p99 ms', 'throughput vs bare node:http'],
          rows,
        },
      ],
      notes: [`Gateway / bare node:http (reported): ${fmtRatio(ratio)} (median of the runs' ratios).`],
      raw: { results: Object.fromEntries(results) },
    };
  } finally {
    await Promise.all(targets.map((t) => t.stop().catch(() => undefined)));
  }
}
