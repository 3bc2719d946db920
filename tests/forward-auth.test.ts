// /auth/verify over HTTP: the session as /graphql judges it, answered in headers only; the same
// refusals (with their reason in the access log), a minimum role, and never a cookie set.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/tokens.js';
import { graphql } from './gql/index.js';
import type { Auth } from './helpers/graphql.js';
import { cookieOf, gql, joinAs, newTokenIn, ok, signIn, signUp, uniqueEmail, WHO_AM_I } from './helpers/graphql.js';
import { serverForFile } from './helpers/per-file.js';
import { startServer } from './helpers/server.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const IDENTITY = ['x-session-id', 'x-user-id', 'x-user-email', 'x-organization-id', 'x-role'];
const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);
const REFRESH = graphql(`mutation Refresh { refreshSession { token session { id } } }`);
const REMOVE = graphql(`mutation RemoveMember($input: RemoveMemberInput!) { removeMember(input: $input) { id } }`);

const lines: Record<string, unknown>[] = [];
const sink = new PassThrough();
sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)));
const file = serverForFile(() => ({ logLevel: 'info' }), sink);

interface Verified {
  status: number;
  headers: Headers;
  body: string;
}

/** One request to /auth/verify; every answer is checked for what must never be in one. */
async function verify(auth: Auth = {}, options: { method?: string; query?: string; path?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Verified> {
  const headers: Record<string, string> = { ...options.headers };
  if (auth.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie !== undefined) headers.cookie = auth.cookie;
  const res = await fetch(`${file.server.url}${options.path ?? '/auth/verify'}${options.query ?? ''}`, { method: options.method ?? 'GET', headers, body: options.body });
  const body = await res.text();
  expect(res.headers.get('set-cookie')).toBeNull();
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  if (res.status !== 200) for (const name of IDENTITY) expect(res.headers.get(name), name).toBeNull();
  return { status: res.status, headers: res.headers, body };
}

/** The refusal reason of the access-log line of an answer (the line is written when it is sent). */
async function reasonOf(res: Verified): Promise<unknown> {
  const id = res.headers.get('x-request-id');
  for (let i = 0; i < 100; i++) {
    const line = lines.find((l) => l.requestId === id);
    if (line) return line.refusal;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no access-log line for ${id}`);
}

async function refusedWith(auth: Auth, reason: string): Promise<void> {
  const res = await verify(auth);
  expect(res.status).toBe(401);
  expect(JSON.parse(res.body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  expect(await reasonOf(res)).toBe(reason);
}

describe('who the session is', () => {
  it('answers 200 with the identity headers for a bearer token and for the cookie', async () => {
    const u = await signUp(file.server);
    for (const auth of [u.auth, cookieOf(u.token)]) {
      const res = await verify(auth);
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      expect(Object.fromEntries(IDENTITY.map((h) => [h, res.headers.get(h)]))).toEqual({ 'x-session-id': u.sessionId, 'x-user-id': u.userId, 'x-user-email': u.email, 'x-organization-id': u.organizationId, 'x-role': 'OWNER' });
      expect(await reasonOf(res)).toBeUndefined();
    }
  });

  it('judges a request with both by the bearer token alone; a malformed bearer never falls back to the cookie', async () => {
    const a = await signUp(file.server);
    const b = await signUp(file.server);
    const both = await verify({ token: a.token, cookie: `sg_session=${b.token}` });
    expect(both.headers.get('x-user-id')).toBe(a.userId);
    await refusedWith({ token: 'abc', cookie: `sg_session=${b.token}` }, 'malformed');
  });

  it('percent-encodes an e-mail outside printable ASCII, which decodeURIComponent gives back', async () => {
    const u = await signUp(file.server, { email: `jörg-${uniqueEmail('ü%')}` });
    const res = await verify(u.auth);
    expect(res.headers.get('x-user-email')).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeURIComponent(res.headers.get('x-user-email')!)).toBe(u.email);
  });

  it('answers HEAD, POST, PUT, DELETE and OPTIONS as GET, without reading a body', async () => {
    const u = await signUp(file.server);
    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await verify(u.auth, { method });
      expect(res.status, method).toBe(200);
      expect(res.headers.get('x-session-id'), method).toBe(u.sessionId);
      expect((await verify({ token: 'A'.repeat(43) }, { method })).status, method).toBe(401);
    }
    const withBody = await verify(u.auth, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(withBody.status).toBe(200);
    expect(withBody.headers.get('connection')).toBe('close');
  });

  it('sends no CORS headers to any origin, and forbids cross-origin loads', async () => {
    const u = await signUp(file.server);
    const res = await verify(cookieOf(u.token), { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect((await verify({}, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })).status).toBe(401);
  });
});

describe('the refusals of /graphql, each a 401 with its reason logged', () => {
  it('refuses no credential, malformed, unknown and revoked tokens', async () => {
    await refusedWith({}, 'missing');
    await refusedWith({ token: 'not-a-token' }, 'malformed');
    await refusedWith({ cookie: 'sg_session=%%%' }, 'malformed');
    await refusedWith({ token: 'A'.repeat(43) }, 'unknown');
    await refusedWith(cookieOf('B'.repeat(43)), 'unknown');
    const u = await signUp(file.server);
    const other = await signIn(file.server, u);
    expect((await verify(other.auth)).status).toBe(200);
    await ok(file.server, REVOKE, { id: other.sessionId }, u.auth);
    await refusedWith(other.auth, 'revoked');
    await refusedWith(cookieOf(other.token), 'revoked');
  });

  it('refuses an idle session after 7 days and an expired one after 30 days, used every day', async () => {
    const active = await signUp(file.server);
    const idle = await signIn(file.server, active);
    for (let day = 1; day <= 29; day++) {
      file.server.clock.advance(DAY);
      expect((await verify(active.auth)).status, `day ${day}`).toBe(200);
      if (day === 8) await refusedWith(idle.auth, 'idle');
    }
    file.server.clock.advance(DAY + MINUTE);
    await refusedWith(active.auth, 'expired');
  });

  it('refuses a session whose membership is gone, and a removed member’s session', async () => {
    const owner = await signUp(file.server);
    const gone = await joinAs(file.server, owner, 'MEMBER');
    await file.server.app.services.prisma.membership.deleteMany({ where: { userId: gone.home.userId, organizationId: owner.organizationId } });
    await refusedWith(gone.inOrg.auth, 'no_membership');
    expect((await verify(gone.home.auth)).status).toBe(200);
    const removed = await joinAs(file.server, owner, 'MEMBER');
    expect((await verify(removed.inOrg.auth)).status).toBe(200);
    await ok(file.server, REMOVE, { input: { organizationId: owner.organizationId, userId: removed.home.userId } }, owner.auth);
    await refusedWith(removed.inOrg.auth, 'revoked');
  });

  it('accepts a superseded token within its grace window; presented later it ends the session (reused)', async () => {
    const u = await signUp(file.server);
    const { token: next } = (await ok(file.server, REFRESH, undefined, u.auth)).refreshSession;
    expect((await verify(u.auth)).status).toBe(200);
    file.server.clock.advance(31_000);
    await refusedWith(u.auth, 'reused');
    await refusedWith({ token: next }, 'revoked');
    const row = await file.server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.revokedReason).toBe('TOKEN_REUSE');
  });
});

describe('a minimum role', () => {
  it('?role=ADMIN lets an OWNER and an ADMIN in and answers a MEMBER 403; ?role=OWNER only the OWNER', async () => {
    const owner = await signUp(file.server);
    const admin = (await joinAs(file.server, owner, 'ADMIN')).inOrg;
    const member = (await joinAs(file.server, owner, 'MEMBER')).inOrg;
    const statuses = async (query: string) => Promise.all([owner, admin, member].map(async (u) => (await verify(u.auth, { query })).status));
    expect(await statuses('?role=MEMBER')).toEqual([200, 200, 200]);
    expect(await statuses('?role=ADMIN')).toEqual([200, 200, 403]);
    expect(await statuses('?role=OWNER')).toEqual([200, 403, 403]);
    const refused = await verify(member.auth, { query: '?role=ADMIN' });
    expect(JSON.parse(refused.body)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(await reasonOf(refused)).toBe('role_below_minimum');
    expect((await verify(admin.auth, { query: '?role=ADMIN' })).headers.get('x-role')).toBe('ADMIN');
  });

  it('answers any other role parameter 400 BAD_REQUEST, before any session check', async () => {
    const u = await signUp(file.server);
    for (const query of ['?role=bogus', '?role=admin', '?role=', '?role=ADMIN&role=MEMBER']) {
      const res = await verify(u.auth, { query });
      expect(res.status, query).toBe(400);
      expect(JSON.parse(res.body), query).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
    expect((await verify({}, { query: '?role=bogus' })).status).toBe(400);
  });

  it('below /auth/verify (Envoy appends the original path) the query is the client’s and is not read', async () => {
    const member = (await joinAs(file.server, await signUp(file.server), 'MEMBER')).inOrg;
    const res = await verify(member.auth, { path: '/auth/verify/admin/page', query: '?role=bogus' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-role')).toBe('MEMBER');
    expect((await verify({}, { path: '/auth/verify/admin/page' })).status).toBe(401);
  });
});

describe('no rotation on this route', () => {
  it('keeps the cookie after the rotation interval; the web app’s own /graphql request rotates it', async () => {
    const u = await signUp(file.server);
    const hashOf = async () => (await file.server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } })).tokenHash;
    file.server.clock.advance(16 * MINUTE);
    expect((await verify(cookieOf(u.token))).status).toBe(200);
    file.server.clock.advance(31_000);
    expect((await verify(cookieOf(u.token))).status).toBe(200);
    expect(await hashOf()).toBe(hashToken(u.token));
    const rotated = newTokenIn((await gql(file.server, WHO_AM_I, undefined, cookieOf(u.token))).headers);
    expect(rotated).toBeDefined();
    expect(await hashOf()).toBe(hashToken(rotated!));
    expect((await verify(cookieOf(rotated!))).headers.get('x-session-id')).toBe(u.sessionId);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('when PostgreSQL cannot be reached', () => {
  it('answers 503 with Retry-After, not 401, and 200 again once it can', async () => {
    const target = new URL(process.env.TEST_DATABASE_URL!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const server = await startServer({ databaseUrl: Object.assign(new URL(target), { port: String(proxy.port) }).toString(), sessionCacheTtlMs: 0 });
    try {
      const u = await signUp(server);
      const check = () => fetch(`${server.url}/auth/verify`, { headers: { authorization: `Bearer ${u.token}` } });
      proxy.cut();
      const down = await check();
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await down.json()).toMatchObject({ errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      proxy.restore();
      let up = await check();
      for (let i = 0; i < 20 && up.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250));
        up = await check();
      }
      expect(up.headers.get('x-user-id')).toBe(u.userId);
    } finally {
      proxy.restore();
      await server.stop();
      await proxy.close();
    }
  }, 60_000);
});
