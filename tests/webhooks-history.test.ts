// The deliveries' history: the connection pages through every delivery once (first/after,
// hasNextPage, totalCount); an endpoint's secret is never readable after creation or rotation;
// delivered and failed deliveries are pruned with ended sessions, pending ones stay.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneRetained } from '../server/db/retention.js';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { ok, signIn, signUp } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ALL_EVENTS, createEndpoint, fastWebhooks } from './helpers/webhooks.js';

const PAGE = graphql(`query WebhookHistoryPage($first: Int, $after: String) { me { currentOrganization { webhookDeliveries(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } } } } }`);
const ENDPOINT_FIELDS = graphql(`query WebhookEndpointFieldNames { __type(name: "WebhookEndpoint") { fields { name } } }`);
const ENDPOINTS = graphql(`query WebhookHistoryEndpoints { me { currentOrganization { webhookEndpoints { id url events format } } } }`);
const ROTATE = graphql(`mutation WebhookHistoryRotate($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`);

const DAY = 24 * 3600_000;
let db: OwnDatabase;
let server: TestServer;
let owner: TestUser;
const receiver = new Receiver();
const down = new Receiver();
let endpointId: string;
let secret: string;

beforeAll(async () => {
  // Pruning is global: its own database on PostgreSQL. Retries far apart: a pending row stays pending.
  db = await ownDatabase('webhooks_history');
  server = await startServer({ databaseUrl: db.url, mfaEncryptionKey: randomBytes(32).toString('base64'), webhooks: fastWebhooks({ retryBaseMs: 600_000, retryMaxMs: 600_000 }) });
  await receiver.listen();
  await down.listen();
  down.mode = 'unavailable';
  owner = await signUp(server, { organizationName: 'History' });
  ({ id: endpointId, secret } = await createEndpoint(server, owner, receiver.url, ALL_EVENTS));
  receiver.secrets.set('/', secret);
  for (let i = 0; i < 5; i++) await signIn(server, owner);
  await receiver.waitFor(() => receiver.of('session.created').length >= 5);
});
afterAll(async () => {
  await server?.stop();
  await receiver.close();
  await down.close();
  await db?.drop();
});

describe('webhook delivery history', () => {
  it('pages through every delivery once, newest first', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    let total = -1;
    for (;;) {
      const conn = (await ok(server, PAGE, { first: 2, after }, owner.auth)).me.currentOrganization.webhookDeliveries;
      total = total < 0 ? conn.totalCount : total;
      expect(conn.totalCount).toBe(total);
      expect(conn.edges.length).toBeLessThanOrEqual(2);
      seen.push(...conn.edges.map((e) => e.node.id));
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor);
      after = conn.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(5);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 2));
  });

  it('never shows the secret again, and keeps it encrypted', async () => {
    const fields = (await ok(server, ENDPOINT_FIELDS)).__type?.fields?.map((f) => f.name) ?? [];
    expect(fields).toContain('url');
    expect(fields.some((f) => /secret/i.test(f))).toBe(false);
    const rotated = (await ok(server, ROTATE, { id: endpointId }, owner.auth)).rotateWebhookSecret.secret;
    const list = JSON.stringify(await ok(server, ENDPOINTS, undefined, owner.auth));
    for (const s of [secret, rotated]) expect(list).not.toContain(s.slice(6));
    const row = await server.app.services.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(row.secret.startsWith('enc:')).toBe(true);
    expect(row.secret).not.toContain(rotated.slice(6));
    receiver.secrets.set('/', rotated);
  });

  it('prunes delivered and failed deliveries after SESSION_RETENTION_DAYS, keeps pending ones', async () => {
    const { prisma } = server.app.services;
    await createEndpoint(server, owner, down.url, ['session.created']);
    await signIn(server, owner);
    await down.waitFor(() => down.attempts.size > 0);
    // Its first attempt recorded: pending, next try in ten minutes.
    const deadline = Date.now() + 10_000;
    while ((await prisma.webhookAttempt.count({ where: { delivery: { endpoint: { url: down.url } } } })) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pending = await prisma.webhookDelivery.findMany({ where: { status: 'PENDING' } });
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(await prisma.webhookDelivery.count({ where: { status: 'DELIVERED' } })).toBeGreaterThanOrEqual(5);

    server.clock.advance(DAY);
    expect((await pruneRetained(server.app.services)).webhookDeliveries).toBe(0);
    server.clock.advance(server.config.sessionRetentionMs);
    const pruned = await pruneRetained(server.app.services);
    expect(pruned.webhookDeliveries).toBeGreaterThanOrEqual(5);
    expect(await prisma.webhookDelivery.count({ where: { status: { not: 'PENDING' } } })).toBe(0);
    expect(await prisma.webhookAttempt.count({ where: { delivery: { status: 'DELIVERED' } } })).toBe(0);
    expect((await prisma.webhookDelivery.findMany({ where: { id: { in: pending.map((p) => p.id) } } })).map((d) => d.status)).toEqual(pending.map(() => 'PENDING'));
  });
});
