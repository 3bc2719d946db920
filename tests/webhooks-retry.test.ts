// At least once: a receiver down for 30 s (first not listening, then answering 503) gets the event
// once it is back, every attempt with the same webhook-id. Atomicity: when the revocation's
// statement fails no outbox row exists, and when the outbox write fails the session stays live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, ok, signIn, signUp } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { createEndpoint, fastWebhooks } from './helpers/webhooks.js';

const REVOKE = graphql(`mutation WebhookRetryRevoke($id: ID!) { revokeSession(id: $id) { id } }`);

let db: OwnDatabase;
let server: TestServer;
let owner: TestUser;
const receiver = new Receiver();

beforeAll(async () => {
  db = await ownDatabase('webhooks_retry');
  server = await startServer({ databaseUrl: db.url, webhooks: fastWebhooks({ retryBaseMs: 500, retryMaxMs: 2000, maxAttempts: 60 }) });
  await receiver.listen();
  owner = await signUp(server, { organizationName: 'Flaky Receiver' });
  receiver.secrets.set('/', (await createEndpoint(server, owner, receiver.url, ['session.revoked'])).secret);
});
afterAll(async () => {
  await server?.stop();
  await receiver.close();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a receiver that is down', () => {
  it('gets the event after 30 s down, with the same webhook-id on every attempt', async () => {
    const victim = await signIn(server, owner);
    await receiver.close();
    const downAt = Date.now();
    await ok(server, REVOKE, { id: victim.sessionId }, owner.auth);
    await sleep(15_000);
    receiver.mode = 'unavailable';
    await receiver.listen();
    await sleep(15_000);
    const upAt = Date.now();
    receiver.mode = 'ok';
    const hit = await receiver.waitFor(() => receiver.of('session.revoked', (r) => r.payload.data.sessionId === victim.sessionId)[0], 10_000);
    expect(hit.verified).toBe(true);
    const { prisma } = server.app.services;
    const read = () => prisma.webhookDelivery.findFirstOrThrow({ where: { type: 'session.revoked', payload: { path: ['data', 'sessionId'], equals: victim.sessionId } }, include: { attempts: { orderBy: { at: 'asc' } } } });
    // The receiver has answered; the worker records the outcome right after.
    let delivery = await read();
    for (let i = 0; i < 50 && delivery.status !== 'DELIVERED'; i++) delivery = (await sleep(50), await read());
    expect(delivery.status).toBe('DELIVERED');
    expect(hit.id).toBe(delivery.id);
    // Every request the receiver saw while answering 503 carried that one id.
    expect([...receiver.attempts.keys()]).toEqual([delivery.id]);
    const failed = delivery.attempts.slice(0, -1);
    expect(failed.length).toBeGreaterThanOrEqual(8);
    expect(failed.some((a) => a.statusCode === null && a.error)).toBe(true);
    expect(failed.some((a) => a.statusCode === 503)).toBe(true);
    expect(delivery.attempts.at(-1)?.statusCode).toBe(204);
    console.log(`down ${Math.round((upAt - downAt) / 1000)} s, ${delivery.attempts.length} attempts, delivered ${Date.now() - upAt} ms after it came back`);
  }, 60_000);
});

describe('the outbox is written with the revocation', () => {
  it('neither commits when one of them fails', async () => {
    const { prisma } = server.app.services;
    const victim = await signIn(server, owner);
    const outbox = () => prisma.webhookDelivery.count({ where: { type: 'session.revoked' } });
    const live = async () => (await prisma.session.findUniqueOrThrow({ where: { id: victim.sessionId } })).revokedAt === null;
    await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION webhook_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$`);
    const before = await outbox();
    // The outbox insert fails: the revocation does not commit.
    await prisma.$executeRawUnsafe(`CREATE TRIGGER webhook_test_outbox BEFORE INSERT ON "WebhookDelivery" FOR EACH ROW EXECUTE FUNCTION webhook_test_refuse()`);
    expect((await gql(server, REVOKE, { id: victim.sessionId }, owner.auth)).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await live()).toBe(true);
    expect(await outbox()).toBe(before);
    await prisma.$executeRawUnsafe(`DROP TRIGGER webhook_test_outbox ON "WebhookDelivery"`);
    // The revocation fails (after its rows were selected): no outbox row.
    await prisma.$executeRawUnsafe(`CREATE TRIGGER webhook_test_session AFTER UPDATE ON "Session" FOR EACH ROW EXECUTE FUNCTION webhook_test_refuse()`);
    expect((await gql(server, REVOKE, { id: victim.sessionId }, owner.auth)).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await live()).toBe(true);
    expect(await outbox()).toBe(before);
    await prisma.$executeRawUnsafe(`DROP TRIGGER webhook_test_session ON "Session"`);
    // Both work: both commit.
    await ok(server, REVOKE, { id: victim.sessionId }, owner.auth);
    expect(await live()).toBe(false);
    expect(await outbox()).toBe(before + 1);
  });
});
