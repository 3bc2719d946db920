// Reuse detection over the whole chain of a session's tokens (RFC 9700 §4.14.2), one rotation for
// concurrent refreshes, and a password change that hands an API client its new token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/tokens.js';
import { graphql } from './gql/index.js';
import { cookieOf, gql, newTokenIn, ok, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const MINUTE = 60_000;
const REFRESH = graphql(`mutation Refresh { refreshSession { token session { id } } }`);
const CHANGE = graphql(`mutation ChangePasswordCountToken($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount token } }`);
const ME = graphql(`query WhoAmI { me { id } }`);
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

async function refresh(token: string): Promise<string> {
  return (await ok(server, REFRESH, undefined, { token })).refreshSession.token;
}

async function sessionRow(id: string) {
  return server.app.services.prisma.session.findUniqueOrThrow({ where: { id } });
}

async function reuseAudits(sessionId: string): Promise<number> {
  return server.app.services.prisma.auditEvent.count({ where: { sessionId, type: 'TOKEN_REUSE_DETECTED' } });
}

describe('reuse detection over every superseded token', () => {
  it('a thief who refreshed twice (T0→T1→T2): the victim presenting T0 after the grace window ends the session, T2 included', async () => {
    const victim = await signUp(server);
    const t1 = await refresh(victim.token);
    const t2 = await refresh(t1);
    await ok(server, ME, undefined, { token: t2 });
    server.clock.advance(31_000);
    const replay = await gql(server, ME, undefined, victim.auth);
    expect(replay.status).toBe(401);
    expect((await gql(server, ME, undefined, { token: t2 })).status).toBe(401);
    expect((await gql(server, ME, undefined, { token: t1 })).status).toBe(401);
    expect((await sessionRow(victim.sessionId)).revokedReason).toBe('TOKEN_REUSE');
    expect(await reuseAudits(victim.sessionId)).toBe(1);
  });

  it('the middle token of a chain, presented late, ends the session too', async () => {
    const u = await signUp(server);
    const t1 = await refresh(u.token);
    server.clock.advance(60_000);
    const t2 = await refresh(t1);
    server.clock.advance(60_000);
    await refresh(t2);
    server.clock.advance(60_000);
    expect((await gql(server, ME, undefined, { token: t1 })).status).toBe(401);
    expect((await sessionRow(u.sessionId)).revokedReason).toBe('TOKEN_REUSE');
  });

  it('cookie rotations keep the whole chain: the first cookie, replayed after two rotations, ends the session', async () => {
    const u = await signUp(server);
    server.clock.advance(16 * MINUTE);
    const c1 = newTokenIn((await gql(server, ME, undefined, cookieOf(u.token))).headers)!;
    server.clock.advance(16 * MINUTE);
    const c2 = newTokenIn((await gql(server, ME, undefined, cookieOf(c1))).headers)!;
    expect(new Set([u.token, c1, c2]).size).toBe(3);
    server.clock.advance(31_000);
    expect((await gql(server, ME, undefined, cookieOf(u.token))).status).toBe(401);
    expect((await gql(server, ME, undefined, cookieOf(c2))).status).toBe(401);
    expect((await sessionRow(u.sessionId)).revokedReason).toBe('TOKEN_REUSE');
  });

  it('a superseded token within its grace window is accepted and revokes nothing', async () => {
    const u = await signUp(server);
    const t1 = await refresh(u.token);
    server.clock.advance(20_000);
    await ok(server, ME, undefined, u.auth);
    await ok(server, ME, undefined, { token: t1 });
    expect((await sessionRow(u.sessionId)).revokedAt).toBeNull();
  });
});

describe('concurrent refreshes', () => {
  it('twenty refreshSession calls with one token make one rotation and all answer with the same usable token', async () => {
    const u = await signUp(server);
    const results = await Promise.all(Array.from({ length: 20 }, () => gql(server, REFRESH, undefined, u.auth)));
    expect(results.map((r) => r.code)).toEqual(Array(20).fill(undefined));
    const tokens = new Set(results.map((r) => r.data?.refreshSession.token));
    expect(tokens.size).toBe(1);
    const [fresh] = [...tokens] as string[];
    expect(fresh).not.toBe(u.token);
    expect((await sessionRow(u.sessionId)).tokenHash).toBe(hashToken(fresh!));
    expect(await server.app.services.prisma.supersededToken.count({ where: { sessionId: u.sessionId } })).toBe(1);
    // Every caller's later use of its answer is fine: no self-inflicted TOKEN_REUSE.
    server.clock.advance(31_000);
    await ok(server, ME, undefined, { token: fresh! });
    expect(await reuseAudits(u.sessionId)).toBe(0);
  });

  it('a refresh retried with the old token within the grace window gets the current token, not a second rotation', async () => {
    const u = await signUp(server);
    const t1 = await refresh(u.token);
    server.clock.advance(5_000);
    expect(await refresh(u.token)).toBe(t1);
    expect(await server.app.services.prisma.supersededToken.count({ where: { sessionId: u.sessionId } })).toBe(1);
  });
});

describe('password change for API clients', () => {
  it('returns the new token, which keeps working after the grace window; no false TOKEN_REUSE', async () => {
    const u = await signUp(server);
    const res = await ok(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'another long passphrase' } }, u.auth);
    const fresh = res.changePassword.token;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(u.token);
    server.clock.advance(31_000);
    await ok(server, ME, undefined, { token: fresh });
    expect((await sessionRow(u.sessionId)).revokedAt).toBeNull();
    expect(await reuseAudits(u.sessionId)).toBe(0);
  });

  it('the token from before the change ends at once (ASVS 7.2.4): refused, leads nowhere, and is no theft signal', async () => {
    const u = await signUp(server);
    const res = await ok(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'yet another long passphrase' } }, u.auth);
    expect((await gql(server, ME, undefined, u.auth)).status).toBe(401);
    const refreshed = await gql(server, REFRESH, undefined, u.auth);
    expect(refreshed.code).toBe('UNAUTHENTICATED');
    expect(refreshed.data?.refreshSession.token).toBeUndefined();
    server.clock.advance(31_000);
    expect((await gql(server, ME, undefined, u.auth)).status).toBe(401);
    await ok(server, ME, undefined, { token: res.changePassword.token });
    expect((await sessionRow(u.sessionId)).revokedAt).toBeNull();
    expect(await reuseAudits(u.sessionId)).toBe(0);
  });
});

describe('a new authentication ends the session the client held (ASVS 7.2.4)', () => {
  const SIGN_IN = graphql(`mutation SignInSession($input: SignInInput!) { signIn(input: $input) { token session { id } } }`);

  it('signIn while presenting a live session (bearer or cookie) revokes that session', async () => {
    for (const by of ['bearer', 'cookie'] as const) {
      const before = await signUp(server);
      const held = by === 'bearer' ? before.auth : cookieOf(before.token);
      const res = await gql(server, SIGN_IN, { input: { email: before.email, password: before.password } }, held);
      expect(res.code).toBeUndefined();
      expect((await sessionRow(before.sessionId)).revokedReason).toBe('SIGNED_OUT');
      expect((await gql(server, ME, undefined, held)).status).toBe(401);
      await ok(server, ME, undefined, { token: res.data!.signIn.token });
    }
  });

  it('a dead cookie presented at sign-in is cleared before the new one is set', async () => {
    const u = await signUp(server);
    const res = await gql(server, SIGN_IN, { input: { email: u.email, password: u.password } }, cookieOf('x'.repeat(43)));
    const cookies = res.headers.getSetCookie();
    expect(cookies.at(-1)).toContain(`sg_session=${res.data!.signIn.token}`);
  });
});
