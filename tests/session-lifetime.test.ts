// Expiry, idle timeout and the activity write throttle, on a server whose clock the test moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const lastActive = async (id: string) => (await server.app.services.prisma.session.findUniqueOrThrow({ where: { id } })).lastActiveAt.getTime();

describe('session lifetime', () => {
  it('writes lastActiveAt at most once a minute per session', async () => {
    const u = await signUp(server);
    const start = await lastActive(u.sessionId);
    for (let i = 0; i < 5; i++) await ok(server, WHO_AM_I, undefined, u.auth);
    expect(await lastActive(u.sessionId)).toBe(start);
    server.clock.advance(61_000);
    await ok(server, WHO_AM_I, undefined, u.auth);
    const moved = await lastActive(u.sessionId);
    expect(moved).toBeGreaterThan(start + 60_000);
    await ok(server, WHO_AM_I, undefined, u.auth);
    expect(await lastActive(u.sessionId)).toBe(moved);
  });

  it('refuses a session idle for longer than the idle timeout (7 days), and keeps an active one alive', async () => {
    const idle = await signUp(server);
    const active = await signIn(server, idle);
    for (let day = 0; day < 8; day++) {
      server.clock.advance(DAY);
      await ok(server, WHO_AM_I, undefined, active.auth);
    }
    const res = await gql(server, WHO_AM_I, undefined, idle.auth);
    expect(res.status).toBe(401);
    expect(res.code).toBe('UNAUTHENTICATED');
    const { sessions } = await ok(server, graphql(`query SessionIds { sessions { id } }`), undefined, active.auth);
    expect(sessions.map((s) => s.id)).toEqual([active.sessionId]);
  });

  it('refuses a session past its absolute lifetime (30 days) even when it was used every day', async () => {
    const u = await signUp(server);
    for (let day = 0; day < 29; day++) {
      server.clock.advance(DAY);
      await ok(server, WHO_AM_I, undefined, u.auth);
    }
    server.clock.advance(DAY + MINUTE);
    const res = await gql(server, WHO_AM_I, undefined, u.auth);
    expect(res.status).toBe(401);
    const other = await signIn(server, u);
    const revoke = await gql(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: u.sessionId }, other.auth);
    expect(revoke.code).toBe('NOT_FOUND'); // expired counts as gone
  });

  it('honours configured lifetimes', async () => {
    const short = await startServer({ sessionIdleTimeoutMs: 10 * MINUTE, sessionLifetimeMs: 60 * MINUTE });
    try {
      const u = await signUp(short);
      const { signUp: _ignored, ...rest } = { signUp: null, ...u };
      expect(rest.userId).toBeDefined();
      const row = await short.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(60 * MINUTE);
      short.clock.advance(11 * MINUTE);
      expect((await gql(short, WHO_AM_I, undefined, u.auth)).status).toBe(401);
    } finally {
      await short.stop();
    }
  });
});
