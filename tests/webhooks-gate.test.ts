// The outbox gate across instances (PostgreSQL, two gateways on one database): B has looked, seen
// no endpoint and closed its gate, and will not look again for minutes; an endpoint created
// through A, then at once a revocation and a sign-in through B: both events are delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxGate } from '../server/webhooks/gate.js';
import { graphql } from './gql/index.js';
import { ok, signIn, signUp } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { onPostgres, startServer } from './helpers/server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ALL_EVENTS, createEndpoint, fastWebhooks } from './helpers/webhooks.js';

const REVOKE = graphql(`mutation GateRevokeSession($id: ID!) { revokeSession(id: $id) { id } }`);

describe.skipIf(!onPostgres)('an endpoint created through another instance', () => {
  let db: OwnDatabase;
  let a: TestServer;
  let b: TestServer;
  const receiver = new Receiver();
  beforeAll(async () => {
    db = await ownDatabase('webhooks_gate');
    a = await startServer({ databaseUrl: db.url, webhooks: fastWebhooks() });
    // B looks once at start, then not for ten minutes: its gate stays as that look left it.
    b = await startServer({ databaseUrl: db.url, webhooks: fastWebhooks({ pollMs: 600_000 }) });
    await receiver.listen();
  }, 60_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await receiver.close();
    await db?.drop();
  });

  it('gets the events made through an instance that has not looked since', async () => {
    const gate = outboxGate(b.app.services.prisma);
    const deadline = Date.now() + 10_000;
    while (gate.possible && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(gate.possible).toBe(false);
    const owner = await signUp(a);
    const victim = await signIn(b, owner);
    receiver.secrets.set('/', (await createEndpoint(a, owner, receiver.url, ALL_EVENTS)).secret);
    expect(gate.possible).toBe(false);
    await ok(b, REVOKE, { id: victim.sessionId }, owner.auth);
    const later = await signIn(b, owner);
    const revoked = await receiver.waitFor(() => receiver.of('session.revoked', (r) => r.payload.data.sessionId === victim.sessionId)[0]);
    expect(revoked.verified).toBe(true);
    expect(revoked.payload.data).toMatchObject({ reason: 'REVOKED_BY_USER', revokedBy: owner.userId });
    const created = await receiver.waitFor(() => receiver.of('session.created', (r) => r.payload.data.sessionId === later.sessionId)[0]);
    expect(created.verified).toBe(true);
    // The revocation's look opened B's gate: its next revocations write in the same statement.
    expect(gate.possible).toBe(true);
    expect(receiver.of('session.revoked', (r) => r.payload.data.sessionId === victim.sessionId)).toHaveLength(1);
  }, 60_000);
});
