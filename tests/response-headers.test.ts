// Answers carry one user's data (and sometimes a token): nothing may cache them (ASVS 5.0 14.2.2,
// 14.3.2), nor sniff their type (3.4.4); HSTS over HTTPS (3.4.1); a new database holds no account
// (6.3.2). The web app's CSP: start.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../server/http/proxy.js';
import { graphql } from './gql/index.js';
import { documentText, gql, rawGql, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe('response headers', () => {
  it('every /graphql answer says Cache-Control: no-store: a query, a GET query, a refusal, an error, a sign-up with its token', async () => {
    const u = await signUp(server);
    const answers: [string, Response | { headers: Headers }][] = [
      ['POST query', await gql(server, WHO_AM_I, undefined, u.auth)],
      ['POST refused', await gql(server, WHO_AM_I)],
      ['POST invalid', await rawGql(server, '{ nope }')],
      ['POST sign-up', await gql(server, graphql(`mutation SignUpToken($i: SignUpInput!) { signUp(input: $i) { token } }`), { i: { email: `h-${Date.now()}@example.test`, password: 'a long enough passphrase', name: 'H', organizationName: 'H' } })],
      ['GET query', await fetch(`${server.graphqlUrl}?query=${encodeURIComponent(documentText(WHO_AM_I))}`, { headers: { 'x-graphql-csrf': '1', authorization: `Bearer ${u.token}` } })],
      ['POST 415', await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })],
    ];
    for (const [name, res] of answers) expect(res.headers.get('cache-control'), name).toBe('no-store');
  });

  it('every answer says X-Content-Type-Options: nosniff; HSTS only over HTTPS (a trusted proxy said so)', async () => {
    for (const path of ['/graphql', '/health', '/no-such-page']) {
      const res = await fetch(`${server.url}${path}`, { headers: { 'x-graphql-csrf': '1' } });
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
    // Not trusted: a client's X-Forwarded-Proto changes nothing.
    expect((await fetch(`${server.url}/health`, { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
    const behindProxy = await startServer({ trustProxy: parseTrustProxy('loopback') });
    try {
      const res = await fetch(`${behindProxy.url}/health`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await behindProxy.stop();
    }
  });

  it('a new database has no account (no default users)', async () => {
    const fresh = await startServer();
    try {
      if (fresh.config.databaseUrl) return; // the shared PostgreSQL holds other files' users
      expect(await fresh.app.services.prisma.user.count()).toBe(0);
    } finally {
      await fresh.stop();
    }
  });
});
