// Cookie tokens rotate with use; a rotated-out token presented after the grace window is proof of
// theft and revokes the whole session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/tokens.js';
import { parseTrustProxy } from '../server/http/proxy.js';
import { graphql } from './gql/index.js';
import { cookieOf, documentText, gql, newTokenIn, ok, sessionSetCookie, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive, untilStreams } from './helpers/ws.js';

const MINUTE = 60_000;
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe('token rotation', () => {
  it('rotates a cookie token after 15 minutes of use; the old one works for 30 s more', async () => {
    const u = await signUp(server);
    const early = await gql(server, WHO_AM_I, undefined, cookieOf(u.token));
    expect(newTokenIn(early.headers)).toBeUndefined();
    server.clock.advance(16 * MINUTE);
    const rotating = await gql(server, WHO_AM_I, undefined, cookieOf(u.token));
    const fresh = newTokenIn(rotating.headers);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(u.token);
    expect(rotating.headers.get('set-cookie')).toMatch(/HttpOnly.*SameSite=Lax/);
    server.clock.advance(10_000);
    await ok(server, WHO_AM_I, undefined, cookieOf(u.token)); // in flight: still fine
    await ok(server, WHO_AM_I, undefined, cookieOf(fresh!));
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.tokenHash).toBe(hashToken(fresh!));
    const superseded = await server.app.services.prisma.supersededToken.findUniqueOrThrow({ where: { tokenHash: hashToken(u.token) } });
    expect(superseded.sessionId).toBe(u.sessionId);
  });

  it('a rotated-out token after the grace window revokes the whole session (TOKEN_REUSE), audited and pushed', async () => {
    const u = await signUp(server);
    const watcher = await signIn(server, u);
    const victimSocket = await openLive(server.wsUrl, { cookie: `sg_session=${u.token}` });
    victimSocket.subscribe();
    await untilStreams(() => server.app.registry.stats(), 1);
    server.clock.advance(16 * MINUTE);
    const rotating = await gql(server, WHO_AM_I, undefined, cookieOf(u.token));
    const fresh = newTokenIn(rotating.headers)!;
    server.clock.advance(31_000);
    // the thief replays the copied cookie
    const replay = await gql(server, WHO_AM_I, undefined, cookieOf(u.token));
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toMatch(/sg_session=;.*Max-Age=0/);
    // ...and the rightful holder is signed out too: the session is gone
    expect((await gql(server, WHO_AM_I, undefined, cookieOf(fresh))).status).toBe(401);
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.revokedReason).toBe('TOKEN_REUSE');
    expect(await server.app.services.prisma.auditEvent.count({ where: { sessionId: u.sessionId, type: 'TOKEN_REUSE_DETECTED' } })).toBe(1);
    expect((await victimSocket.closed).code).toBe(4403);
    expect(victimSocket.events.at(-1)).toMatchObject({ type: 'REVOKED', reason: 'TOKEN_REUSE' });
    await ok(server, WHO_AM_I, undefined, watcher.auth); // other sessions are untouched
  });

  it('twenty concurrent requests racing a rotation all succeed and are all given the one new token', async () => {
    const u = await signUp(server);
    server.clock.advance(16 * MINUTE);
    const results = await Promise.all(Array.from({ length: 20 }, () => gql(server, WHO_AM_I, undefined, cookieOf(u.token))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const issued = [...new Set(results.map((r) => newTokenIn(r.headers)).filter(Boolean))];
    expect(issued).toHaveLength(1);
    expect(issued[0]).not.toBe(u.token);
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.tokenHash).toBe(hashToken(issued[0]!));
    expect(row.revokedAt).toBeNull();
    server.clock.advance(31_000);
    await ok(server, WHO_AM_I, undefined, cookieOf(issued[0]!));
  });

  it('bearer tokens do not rotate by themselves; refreshSession rotates one on demand', async () => {
    const u = await signUp(server);
    server.clock.advance(16 * MINUTE);
    const res = await gql(server, WHO_AM_I, undefined, u.auth);
    expect(res.headers.get('set-cookie')).toBeNull();
    const refreshed = await ok(server, graphql(`mutation Refresh { refreshSession { token session { id } } }`), undefined, u.auth);
    expect(refreshed.refreshSession.session.id).toBe(u.sessionId);
    expect(refreshed.refreshSession.token).not.toBe(u.token);
    await ok(server, WHO_AM_I, undefined, { token: refreshed.refreshSession.token });
  });

  it('never takes a token from the URL', async () => {
    const u = await signUp(server);
    for (const param of ['token', 'access_token', 'session', 'sg_session']) {
      const res = await fetch(`${server.graphqlUrl}?${param}=${u.token}&query=${encodeURIComponent(documentText(WHO_AM_I))}`, { headers: { 'x-graphql-csrf': '1' } });
      expect(res.status, param).toBe(401);
    }
  });

  it('uses Secure and the __Host- prefix over HTTPS (behind a trusted proxy)', async () => {
    const tls = await startServer({ trustProxy: parseTrustProxy('1') });
    try {
      const res = await gql(tls, graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`), {
        input: { email: `tls-${Date.now()}@example.test`, password: 'long enough password', name: 'T', organizationName: 'T' },
      }, { headers: { 'x-forwarded-proto': 'https' } });
      const cookie = sessionSetCookie(res.headers);
      expect(cookie).toMatch(/^__Host-sg_session=/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Domain=/);
    } finally {
      await tls.stop();
    }
  });
});

describe('password change', () => {
  const CHANGE = graphql(`mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount } }`);

  it('needs the current password, revokes every other session, rotates this one, and is audited', async () => {
    const u = await signUp(server);
    const others = [await signIn(server, u), await signIn(server, u)];
    const wrong = await gql(server, CHANGE, { input: { currentPassword: 'not the password', newPassword: 'a brand new password' } }, u.auth);
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.extensions?.field).toBe('currentPassword');
    const short = await gql(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'short' } }, u.auth);
    expect(short.errors?.[0]?.extensions?.field).toBe('newPassword');
    const res = await gql(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'a brand new password' } }, u.auth);
    expect(res.data?.changePassword.revokedCount).toBe(2);
    const fresh = newTokenIn(res.headers)!;
    expect(fresh).toBeDefined();
    for (const o of others) expect((await gql(server, WHO_AM_I, undefined, o.auth)).status).toBe(401);
    await ok(server, WHO_AM_I, undefined, { token: fresh });
    expect(await server.app.services.prisma.auditEvent.count({ where: { userId: u.userId, type: 'PASSWORD_CHANGED' } })).toBe(1);
    const old = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: u.email, password: u.password } });
    expect(old.code).toBe('UNAUTHENTICATED');
    await signIn(server, { email: u.email, password: 'a brand new password' });
  });
});
