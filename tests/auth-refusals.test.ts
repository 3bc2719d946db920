// Every way of presenting a bad credential answers 401 UNAUTHENTICATED: never a 500, never a leak.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { inviteAndAccept, documentText, gql, ok, rawGql, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const ME = graphql(`query WhoAmI { me { id } }`);

async function raw(headers: Record<string, string>, body = JSON.stringify({ query: documentText(ME) })) {
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
    await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
    const inOwnersOrg = await signIn(server, member, owner.organizationId);
    // the membership goes away behind the session's back (not through removeMember)
    await server.app.services.prisma.membership.deleteMany({ where: { userId: member.userId, organizationId: owner.organizationId } });
    const res = await gql(server, ME, undefined, inOwnersOrg.auth);
    expect(res.status).toBe(401);
    await ok(server, ME, undefined, member.auth); // their own organisation still works
  });

  it('mutations that need a session refuse without one, and change nothing', async () => {
    const u = await signUp(server);
    const attempts = {
      signOut: () => gql(server, graphql(`mutation SignOut { signOut }`), undefined),
      revokeOtherSessions: () => gql(server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), undefined),
      revokeSession: () => gql(server, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: u.sessionId }),
      createOrganization: () => gql(server, graphql(`mutation CreateOrganizationX { createOrganization(input: { name: "x" }) { id } }`), undefined),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const res = await attempt();
      expect(res.status, name).toBe(401);
      expect(res.code, name).toBe('UNAUTHENTICATED');
    }
    await ok(server, ME, undefined, u.auth);
  });
});

describe('errors and transport', () => {
  it('masks unexpected errors: no message, no stack', async () => {
    const u = await signUp(server);
    // an auditEvents page size out of range is a coded error...
    const coded = await gql(server, graphql(`query AuditEventsPageTooLarge { auditEvents(first: 201) { id } }`), undefined, u.auth);
    expect(coded.code).toBe('BAD_USER_INPUT');
    // ...a query that is not valid GraphQL is a coded error too
    const invalid = await rawGql(server, '{ me { nope } }', undefined, u.auth);
    expect(invalid.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const parse = await rawGql(server, '{ me { ', undefined, u.auth);
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
    const get = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent(documentText(graphql(`mutation SignOut { signOut }`)))}`, { headers: { cookie: `sg_session=${u.token}`, 'x-graphql-csrf': '1' } });
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
  it('answers 503 on /health and coded errors, never a crash, and recovers when it returns', async () => {
    // PGlite: close the embedded database. PostgreSQL: a database of this test's own, dropped
    // under the running server and created again.
    const adminUrl = process.env.TEST_DATABASE_URL;
    const dbName = `sg_fault_${Date.now()}_${process.pid}`;
    const admin = adminUrl ? new pg.Client({ connectionString: adminUrl }) : null;
    if (admin) {
      await admin.connect();
      await admin.query(`CREATE DATABASE "${dbName}"`);
    }
    const ownUrl = adminUrl ? Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString() : undefined;
    const doomed = await startServer(ownUrl ? { databaseUrl: ownUrl, sessionCacheTtlMs: 0 } : { sessionCacheTtlMs: 0 });
    try {
      const u = await signUp(doomed);
      if (admin) await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
      else await doomed.app.services.db.close();
      const health = await fetch(`${doomed.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable' });
      const attempts = {
        'me, signed in': () => gql(doomed, ME, undefined, u.auth),
        'me, signed out': () => gql(doomed, ME, undefined),
        signIn: () => gql(doomed, graphql(`mutation SignInUnknownUser { signIn(input: { email: "a@b.co", password: "whatever1" }) { token } }`), undefined),
      };
      for (const [name, attempt] of Object.entries(attempts)) {
        const res = await attempt();
        expect(res.status, name).toBeGreaterThanOrEqual(401);
        expect(res.status, `${name} ${JSON.stringify(res.errors)}`).not.toBe(500);
        expect(res.errors?.[0]?.extensions?.code, name).toMatch(/SERVICE_UNAVAILABLE|UNAUTHENTICATED/);
        expect(JSON.stringify(res.errors)).not.toMatch(/stack|prisma|pglite|database "/i);
      }
      if (admin) {
        await admin.query(`CREATE DATABASE "${dbName}"`);
        let status = 0;
        for (let i = 0; i < 50 && status !== 200; i++) {
          status = (await fetch(`${doomed.url}/health`)).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toBe(200);
      }
    } finally {
      await doomed.stop().catch(() => undefined);
      if (admin) {
        await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await admin.end();
      }
    }
  });
});
