// A revocation larger than one batch (server/sessions/rows.ts: REVOKE_BATCH_ROWS at a time, in one
// transaction): every session and its webhook delivery written, also when this instance believed
// no endpoint existed; and all or none when a later batch fails (a real trigger in the database
// refuses one row of it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionsSql, mintSessions } from '../bench/lib/sql.js';
import { REVOKE_BATCH_ROWS } from '../server/sessions/rows.js';
import { outboxGate } from '../server/webhooks/gate.js';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, ok, signUp } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { createEndpoint, fastWebhooks } from './helpers/webhooks.js';

const REVOKE_OTHERS = graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`);
// Two full batches and a part of a third.
const EXTRA = 2 * REVOKE_BATCH_ROWS + 117;

let db: OwnDatabase;
let server: TestServer;

beforeAll(async () => {
  // Its own database on PostgreSQL: the trigger below must not reach other files' sessions.
  db = await ownDatabase('revoke_batches');
  // No delivery is attempted: the outbox rows are what is checked.
  server = await startServer({ databaseUrl: db.url, webhooks: fastWebhooks({ pollMs: 600_000 }) });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

async function userWithSessions(count = EXTRA): Promise<{ user: TestUser; ids: string[] }> {
  const user = await signUp(server);
  const sessions = mintSessions(count, [user.organizationId]);
  for (const sql of insertSessionsSql(user.userId, sessions)) await server.app.services.prisma.$executeRawUnsafe(sql);
  return { user, ids: sessions.map((s) => s.id) };
}

const reasons = async (userId: string) => {
  const rows = await server.app.services.prisma.session.groupBy({ by: ['revokedReason'], where: { userId }, _count: true });
  return Object.fromEntries(rows.map((r) => [r.revokedReason ?? 'live', r._count]));
};

const deliveries = (ids: string[]) =>
  server.app.services.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "type" = 'session.revoked' AND "payload"->'data'->>'sessionId' = ANY($1::text[])`, ids);

describe(`revokeOtherSessions over ${EXTRA} sessions (batches of ${REVOKE_BATCH_ROWS})`, () => {
  it('revokes every one of them, with its webhook delivery, and keeps the caller’s session', async () => {
    const { user, ids } = await userWithSessions();
    await createEndpoint(server, user, 'https://hooks.example.com/in', ['session.revoked']);
    const { revokeOtherSessions } = await ok(server, REVOKE_OTHERS, undefined, user.auth);
    expect(revokeOtherSessions.revokedCount).toBe(EXTRA);
    expect(await reasons(user.userId)).toEqual({ REVOKED_OTHER_SESSIONS: EXTRA, live: 1 });
    expect((await deliveries(ids))[0]?.n).toBe(EXTRA);
  });

  // As an instance that looked before the endpoint was created through another one: its gate is
  // closed, so the first batch finds the endpoint itself, and the deliveries of every batch are
  // written. Exactly two batches: the loop ends on an empty third.
  it('writes every batch’s deliveries when the first one finds an endpoint this instance did not know of', async () => {
    const count = 2 * REVOKE_BATCH_ROWS;
    const { user, ids } = await userWithSessions(count);
    await createEndpoint(server, user, 'https://hooks.example.com/in', ['session.revoked']);
    const gate = outboxGate(server.app.services.prisma);
    gate.possible = false;
    const { revokeOtherSessions } = await ok(server, REVOKE_OTHERS, undefined, user.auth);
    expect(revokeOtherSessions.revokedCount).toBe(count);
    expect(gate.possible).toBe(true);
    expect(await reasons(user.userId)).toEqual({ REVOKED_OTHER_SESSIONS: count, live: 1 });
    expect((await deliveries(ids))[0]?.n).toBe(count);
  });

  // An endpoint created by another instance while the transaction runs: a trigger inserts one when
  // batch 2 updates its first row (at the end of batch 2's statement), so batch 3 is the first to
  // find it, and writes the deliveries of batches 1 and 2 as well.
  it('writes the earlier batches’ deliveries when a later one is the first to find an endpoint', async () => {
    const { user, ids } = await userWithSessions();
    const { prisma } = server.app.services;
    // No endpoint at all (this file's database): batches 1 and 2 find none.
    await prisma.$executeRawUnsafe(`DELETE FROM "WebhookEndpoint"`);
    const gate = outboxGate(prisma);
    gate.possible = false;
    const secondBatchFirst = [...ids].sort()[REVOKE_BATCH_ROWS] ?? '';
    await prisma.$executeRawUnsafe(`CREATE FUNCTION endpoint_appears() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO "WebhookEndpoint" ("id", "organizationId", "url", "events", "secret") VALUES (gen_random_uuid(), '${user.organizationId}'::uuid, 'https://hooks.example.com/in', ARRAY['session.revoked'], 'plain:test');
      RETURN NULL; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER endpoint_appears AFTER UPDATE ON "Session" FOR EACH ROW WHEN (NEW."id" = '${secondBatchFirst}'::uuid) EXECUTE FUNCTION endpoint_appears()`);
    try {
      expect((await ok(server, REVOKE_OTHERS, undefined, user.auth)).revokeOtherSessions.revokedCount).toBe(EXTRA);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER endpoint_appears ON "Session"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION endpoint_appears()`);
    }
    expect(gate.possible).toBe(true);
    expect((await deliveries(ids))[0]?.n).toBe(EXTRA);
  });

  it('revokes none of them when a later batch fails', async () => {
    const { user, ids } = await userWithSessions();
    await createEndpoint(server, user, 'https://hooks.example.com/in', ['session.revoked']);
    // The greatest id is in the last batch (batches go in id order).
    const last = [...ids].sort().at(-1) ?? '';
    const { prisma } = server.app.services;
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_revocation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_one BEFORE UPDATE ON "Session" FOR EACH ROW WHEN (NEW."id" = '${last}'::uuid) EXECUTE FUNCTION refuse_revocation()`);
    try {
      const refused = await gql(server, REVOKE_OTHERS, undefined, user.auth);
      expect(refused.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(refused.errors)).not.toContain('refused by the test');
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_one ON "Session"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_revocation()`);
    }
    expect(await reasons(user.userId)).toEqual({ live: EXTRA + 1 });
    expect((await deliveries(ids))[0]?.n).toBe(0);
    // And the same revocation goes through once the database takes it.
    expect((await ok(server, REVOKE_OTHERS, undefined, user.auth)).revokeOtherSessions.revokedCount).toBe(EXTRA);
  });
});
