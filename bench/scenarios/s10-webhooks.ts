// Scenario 10: what webhooks cost a revocation. One owner revokes sessions one at a time
// (revokeSession) with no webhook endpoint, then with 10 endpoints of the organisation subscribed
// to every event, whose receiver answers only after 500 ms: the outbox rows are written in the
// revocation's statement, the deliveries happen after the answer. Same run, alternating order.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchContext } from '../lib/context.js';
import type { Gateway } from '../lib/gateway.js';
import { seedUser, startGateway } from '../lib/gateway.js';
import { until } from '../lib/proc.js';
import type { ScenarioReport } from '../lib/report.js';
import { fmt, fmtRatio, verdict } from '../lib/report.js';
import { BROWSER_UA } from '../lib/sql.js';
import type { Summary } from '../lib/stats.js';
import { median, summarize } from '../lib/stats.js';

const ENDPOINTS = 10;
const RECEIVER_DELAY_MS = 500;
const TARGET = 1.5;

type Side = 'none' | 'ten';

/** A receiver that takes its time: every delivery waits RECEIVER_DELAY_MS for its 204. */
async function slowReceiver(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      setTimeout(() => res.writeHead(204).end(), RECEIVER_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The owner as an API client (bearer): revocations and endpoint changes need a recent sign-in, which sign-up is. */
async function call<T>(gw: Gateway, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': BROWSER_UA }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data;
}

export async function scenarioWebhooks(ctx: BenchContext): Promise<ScenarioReport> {
  const revocations = ctx.quick ? 20 : 200;
  let gw: Gateway | null = null;
  const receiver = await slowReceiver();
  try {
    gw = await startGateway('s10-gateway', { databaseUrl: ctx.databaseUrl, webhookPrivateTargets: true });
    const results: Record<Side, Summary[]> = { none: [], ten: [] };
    for (let run = 0; run < ctx.runs; run++) {
      const sides: Side[] = run % 2 ? ['ten', 'none'] : ['none', 'ten'];
      for (const side of sides) {
        // A fresh owner per measurement: its sign-up is the recent authentication, its sessions the targets.
        const owner = await seedUser(gw, 1, revocations);
        const organizationId = owner.organizationIds[0] as string;
        const endpoints: string[] = [];
        if (side === 'ten') {
          for (let i = 0; i < ENDPOINTS; i++) {
            const r = await call<{ createWebhookEndpoint: { endpoint: { id: string } } }>(gw, owner.token, 'mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }', {
              i: { organizationId, url: `${receiver.url}/${i}`, events: ['session.revoked'] },
            });
            endpoints.push(r.createWebhookEndpoint.endpoint.id);
          }
        }
        const before = receiver.received();
        const times: number[] = [];
        for (const s of owner.sessions) {
          const started = performance.now();
          await call(gw, owner.token, 'mutation ($id: ID!) { revokeSession(id: $id) { id } }', { id: s.id });
          times.push(performance.now() - started);
        }
        const summary = summarize(times);
        results[side].push(summary);
        if (side === 'ten') {
          // Every revocation delivered to every endpoint, after the fact.
          await until(`${revocations * ENDPOINTS} deliveries`, async () => receiver.received() - before >= revocations * ENDPOINTS, 300_000, 200);
          for (const id of endpoints) await call(gw, owner.token, 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id });
        }
        ctx.log(`s10 run ${run + 1} ${side}: ${revocations} revocations, response p50/p99 ${fmt(summary.p50, 2)}/${fmt(summary.p99, 2)} ms`);
      }
    }
    const ratio = (pick: (s: Summary) => number) => median(results.ten.map((t, i) => pick(t) / pick(results.none[i] ?? t)));
    const p50 = ratio((s) => s.p50);
    const p99 = ratio((s) => s.p99);
    const met = p50 <= TARGET && p99 <= TARGET;
    const row = (side: Side, label: string) => [label, fmt(median(results[side].map((s) => s.p50)), 2), fmt(median(results[side].map((s) => s.p99)), 2), fmt(median(results[side].map((s) => s.max)), 2)];
    return {
      id: 's10',
      title: '10. Webhooks and a revocation',
      tables: [
        {
          title: `revokeSession response time (ms), ${revocations} in turn per measurement, median of ${ctx.runs} runs (PostgreSQL)`,
          headers: ['endpoints', 'p50', 'p99', 'max'],
          rows: [row('none', 'none'), row('ten', `${ENDPOINTS}, receiver answering after ${RECEIVER_DELAY_MS} ms`)],
        },
      ],
      notes: [
        `With ${ENDPOINTS} endpoints against none (median of per-run ratios): p50 ${fmtRatio(p50)}, p99 ${fmtRatio(p99)} (target ≤ ${TARGET}×: ${verdict(met)}); every revocation reached every endpoint afterwards (checked).`,
      ],
      raw: results,
    };
  } finally {
    await gw?.stop().catch(() => undefined);
    await receiver.close();
  }
}
