// Every way of presenting a bad credential answers 401 UNAUTHENTICATED: never a 500, never a leak.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, gql, ok, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const ME = '{ me { id } }';

async function raw(headers: Record<string, string>, body = JSON.stringify({ query: ME })) {
  const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('malformed and unknown credentials', () => {
  const cases: [string, Record<string, string>][] = [
    ['no credentials', {}],
    ['an unknown bearer token', { authorization: `Bearer ${'A'.repeat(43)}` }],
    ['a bearer token of the wrong length', { authorization: 'Bearer abc' }],
    ['a bearer with no token', { authorization: 'Bearer' }],
    ['a Basic header', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['garbage in Authorization', { authorization: '\u00ff\u00fe%%%' }],
    ['a huge Authorization header', { authorization: `Bearer ${'x'.repeat(8000)}` }],
    ['SQL in the token', { authorization: "Bearer ' OR 1=1; --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }],
    ['an unknown cookie', { cookie: `sg_session=${'B'.repeat(43)}` }],
    ['a malformed cookie', { cookie: 'sg_session=%%%; other=1' }],
    ['an empty cookie', { cookie: 'sg_session=' }],
    ['a cookie header with no pairs', { cookie: ';;;=;' }],
  ];
  it.each(cases)('%s → 401 UNAUTHENTICATED', async (_label, headers) => {
    const res = await raw(headers);
    expect(res.status).toBe(401);
    const body = JSON.parse(res.text) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.text).not.toMatch(/stack|prisma|at \w+ \(/i);
  });

  it('refuses a revoked token, an expired token and a token whose membership was removed, each with 401', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, owner.organizationId, member.email, 'MEMBER');
    const inOwnersOrg = await signIn(server, member, owner.organizationId);
    // the membership goes away behind the session's back (not through removeMember)
    await server.app.services.prisma.membership.deleteMany({ where: { userId: member.userId, organizationId: owner.organizationId } });
    const res = await gql(server, ME, undefined, inOwnersOrg.auth);
    expect(res.status).toBe(401);
    await ok(server, ME, undefined, member.auth); // their own organisation still works
  });

  it('mutations that need a session refuse without one, and change nothing', async () => {
    const u = await signUp(server);
    for (const query of ['mutation { signOut }', 'mutation { revokeOtherSessions { revokedCount } }', `mutation { revokeSession(id: "${u.sessionId}") { id } }`, 'mutation { createOrganization(input: { name: "x" }) { id } }']) {
      const res = await gql(server, query);
      expect(res.status, query).toBe(401);
      expect(res.code, query).toBe('UNAUTHENTICATED');
    }
    await ok(server, ME, undefined, u.auth);
  });
});

describe('errors and transport', () => {
  it('masks unexpected errors: no message, no stack', async () => {
    const u = await signUp(server);
    // an auditEvents page size out of range is a coded error...
    const coded = await gql(server, '{ auditEvents(first: 100000) { id } }', undefined, u.auth);
    expect(coded.code).toBe('BAD_USER_INPUT');
    // ...a query that is not valid GraphQL is a coded error too
    const invalid = await gql(server, '{ me { nope } }', undefined, u.auth);
    expect(invalid.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const parse = await gql(server, '{ me { ', undefined, u.auth);
    expect(parse.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers invalid JSON with a coded 400 and no parser internals', async () => {
    const res = await raw({}, '{"query": "{ me { id } }"');
    expect(res.status).toBe(400);
    expect(res.text).toContain('BAD_REQUEST');
    expect(res.text).not.toContain('originalError');
  });

  it('CSRF: a cross-site form POST and a GET carrying a mutation change nothing', async () => {
    const u = await signUp(server);
    const form = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sg_session=${u.token}` },
      body: 'query=mutation%7BsignOut%7D',
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    const get = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('mutation { signOut }')}`, { headers: { cookie: `sg_session=${u.token}`, 'x-graphql-csrf': '1' } });
    expect(get.status).toBe(405);
    await ok(server, ME, undefined, u.auth);
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
    expect(row.revokedAt).toBeNull();
  });

  it('reports health: 200 while the database answers', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers an unknown path with a coded 404', async () => {
    const res = await fetch(`${server.url}/no/such/thing.js`);
    expect(res.status).toBe(404);
  });
});

describe('health when the database is gone', () => {
  it('answers 503 on /health and a coded error, never a crash', async () => {
    const doomed = await startServer();
    try {
      const u = await signUp(doomed);
      await doomed.app.services.db.close();
      const health = await fetch(`${doomed.url}/health`);
      expect(health.status).toBe(503);
      const res = await gql(doomed, ME, undefined, u.auth);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.errors?.[0]?.extensions?.code).toBeDefined();
      expect(JSON.stringify(res.errors)).not.toMatch(/stack|prisma|pglite/i);
    } finally {
      await doomed.stop().catch(() => undefined);
    }
  });
});
