// Webhooks across processes (PostgreSQL, real gateways): the outbox row commits with the
// revocation, so a gateway SIGKILLed right after it delivers the event once restarted; two
// instances sharing the outbox never send one delivery twice (FOR UPDATE SKIP LOCKED + lease).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { ok, signIn, signUp } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { GatewayProcess } from './helpers/process.js';
import { spawnGateway } from './helpers/process.js';
import { Receiver } from './helpers/webhook-receiver.js';

const REVOKE = graphql(`mutation WebhookProcRevoke($id: ID!) { revokeSession(id: $id) { id } }`);
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const secret = `whsec_${randomBytes(32).toString('base64')}`;

function env(db: OwnDatabase, receiver: Receiver, pollMs: number): Record<string, string> {
  return { DATABASE_URL: db.url!, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: secret, WEBHOOK_POLL_MS: String(pollMs), WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000' };
}

async function outboxCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "WebhookDelivery"`)).rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe.skipIf(!onPostgres)('a gateway SIGKILLed right after a revocation', () => {
  let db: OwnDatabase;
  const receiver = new Receiver();
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    db = await ownDatabase('webhooks_kill');
    await receiver.listen();
    receiver.secrets.set('/', secret);
  });
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await receiver.close();
    await db?.drop();
  });

  it('delivers the revocation after the restart', async () => {
    // A poll far away: nothing is sent before the kill.
    gateway = await spawnGateway(env(db, receiver, 600_000));
    const owner = await signUp(gateway);
    const victim = await signIn(gateway, owner);
    await ok(gateway, REVOKE, { id: victim.sessionId }, owner.auth);
    await gateway.stop('SIGKILL');
    expect(receiver.of('session.revoked')).toHaveLength(0);
    gateway = await spawnGateway(env(db, receiver, 100));
    const hit = await receiver.waitFor(() => receiver.of('session.revoked', (r) => r.payload.data.sessionId === victim.sessionId)[0]);
    expect(hit.verified).toBe(true);
    expect(hit.payload.data).toMatchObject({ reason: 'REVOKED_BY_USER', userId: owner.userId });
  }, 90_000);
});

describe.skipIf(!onPostgres)('two instances sharing the outbox', () => {
  let db: OwnDatabase;
  const receiver = new Receiver();
  const gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    db = await ownDatabase('webhooks_two');
    await receiver.listen();
    receiver.secrets.set('/', secret);
    // One after the other: each keeps the operator's endpoint row in step at start.
    gateways.push(await spawnGateway(env(db, receiver, 20)));
    gateways.push(await spawnGateway(env(db, receiver, 20)));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
    await receiver.close();
    await db?.drop();
  });

  it('sends each delivery exactly once', async () => {
    const [a, b] = gateways as [GatewayProcess, GatewayProcess];
    const owner = await signUp(a);
    // Events made through both instances while both poll the same table every 20 ms.
    await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(i % 2 ? a : b, owner)));
    const expected = await outboxCount(db.url!);
    expect(expected).toBeGreaterThanOrEqual(31);
    await receiver.waitFor(() => receiver.received.length >= expected, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.received).toHaveLength(expected);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(expected);
    expect([...receiver.attempts.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  }, 60_000);
});
