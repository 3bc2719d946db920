// Ended sessions, their superseded tokens and old audit events are deleted after their retention
// period; live sessions and recent rows stay (ASVS 5.0 14.1.2, 14.2.4).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneRetained } from '../server/db/retention.js';
import { graphql } from './gql/index.js';
import { ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { OwnDatabase } from './helpers/own-database.js';
import { ownDatabase } from './helpers/own-database.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const DAY = 24 * 60 * 60_000;
let server: TestServer;
// Pruning is global: on PostgreSQL it must not touch the other test files' rows.
let db: OwnDatabase;
beforeAll(async () => {
  db = await ownDatabase('sg_retention');
  // A lifetime longer than the retention periods, so that one session stays live throughout.
  server = await startServer({ sessionLifetimeMs: 800 * DAY, ...(db.url ? { databaseUrl: db.url } : {}) });
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe('retention', () => {
  it('deletes ended sessions after SESSION_RETENTION_DAYS, superseded tokens once their session ended, audit events after AUDIT_RETENTION_DAYS', async () => {
    const { prisma } = server.app.services;
    const u = await signUp(server);
    const ended = await signIn(server, u);
    await ok(server, graphql(`mutation RefreshToken { refreshSession { token } }`), undefined, ended.auth);
    await ok(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: ended.sessionId }, u.auth);
    expect(await prisma.supersededToken.count({ where: { sessionId: ended.sessionId } })).toBe(1);

    server.clock.advance(DAY);
    await pruneRetained(server.app.services);
    expect(await prisma.supersededToken.count({ where: { sessionId: ended.sessionId } })).toBe(0);
    expect(await prisma.session.count({ where: { id: ended.sessionId } })).toBe(1);

    // Keep the live session live across the jump: it is used every few days.
    for (let days = 0; days < 91; days += 5) {
      server.clock.advance(5 * DAY);
      await ok(server, WHO_AM_I, undefined, u.auth);
    }
    const audits = await prisma.auditEvent.count({ where: { userId: u.userId } });
    await pruneRetained(server.app.services);
    expect(await prisma.session.count({ where: { id: ended.sessionId } })).toBe(0);
    expect(await prisma.session.count({ where: { id: u.sessionId } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { userId: u.userId } })).toBe(audits);

    server.clock.advance(366 * DAY);
    await pruneRetained(server.app.services);
    expect(await prisma.auditEvent.count({ where: { userId: u.userId } })).toBe(0);
  });

  it('deletes used or expired password-reset links and MFA challenges, keeps live ones', async () => {
    const { prisma } = server.app.services;
    const u = await signUp(server);
    const now = server.clock.now();
    const later = new Date(now.getTime() + 10 * 60_000);
    const earlier = new Date(now.getTime() - 60_000);
    const hash = () => randomBytes(32).toString('hex');
    const base = { userId: u.userId };
    await prisma.passwordReset.createMany({ data: [{ ...base, tokenHash: hash(), expiresAt: later, usedAt: now }, { ...base, tokenHash: hash(), expiresAt: earlier }, { ...base, tokenHash: hash(), expiresAt: later }] });
    const challenge = { ...base, organizationId: u.organizationId };
    await prisma.mfaChallenge.createMany({ data: [{ ...challenge, tokenHash: hash(), expiresAt: earlier }, { ...challenge, tokenHash: hash(), expiresAt: later }] });
    const pruned = await pruneRetained(server.app.services);
    expect(pruned.challenges).toBe(3);
    expect(await prisma.passwordReset.count({ where: base })).toBe(1);
    expect(await prisma.mfaChallenge.count({ where: base })).toBe(1);
  });
});
