import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey } from '../server/auth/rate-limit.js';
import { PASSWORD, gql, signUp, uniqueEmail } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

// On PostgreSQL the counters are shared with every other test file's server: per-IP keys of
// 127.0.0.1 are busy, so these tests limit accounts of their own and addresses of their own.
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ trustProxy: true, rateLimits: { signInPerAccount: 3, signInPerIp: 1e6, signUpPerAccount: 1e6, signUpPerIp: 1e6, windowMs: 60_000 } });
});

/** A documentation address (RFC 5737) of this run's own. */
const testNetIp = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
afterAll(() => server?.stop());

const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { token } }';

describe('rate limits', () => {
  it('counts e-mail case, +tags and Gmail dots of one mailbox together', () => {
    expect(accountKey('Ada.Lovelace+work@GoogleMail.com')).toBe(accountKey('adalovelace@gmail.com'));
    expect(accountKey('Bob+x@example.com')).toBe('bob@example.com');
    expect(accountKey('b.o.b@example.com')).not.toBe(accountKey('bob@example.com'));
  });

  it('limits sign-in attempts per account, with RATE_LIMITED, 429 and a retry-after', async () => {
    const u = await signUp(server, { email: uniqueEmail('limited') });
    const [local, domain] = u.email.split('@');
    const variants = [u.email, u.email.toUpperCase(), `${local}+alias@${domain}`];
    for (const email of variants) {
      const res = await gql(server, SIGN_IN, { input: { email, password: 'wrong password!' } });
      expect(res.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await gql(server, SIGN_IN, { input: { email: u.email, password: PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(blocked.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    // another account from the same address is not affected
    const other = await signUp(server);
    expect((await gql(server, SIGN_IN, { input: { email: other.email, password: PASSWORD } })).code).toBeUndefined();
    // the window passes
    server.clock.advance(61_000);
    expect((await gql(server, SIGN_IN, { input: { email: u.email, password: PASSWORD } })).code).toBeUndefined();
  });

  it('limits sign-ups per IP (the proxied client address when the proxy is trusted)', async () => {
    const trusted = await startServer({ trustProxy: true, rateLimits: { signInPerAccount: 1000, signInPerIp: 1000, signUpPerAccount: 1000, signUpPerIp: 2, windowMs: 60_000 } });
    try {
      const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
      const input = () => ({ input: { email: uniqueEmail(), password: PASSWORD, name: 'N', organizationName: 'O' } });
      const headers = { 'x-forwarded-for': testNetIp() };
      expect((await gql(trusted, SIGN_UP, input(), { headers })).code).toBeUndefined();
      expect((await gql(trusted, SIGN_UP, input(), { headers })).code).toBeUndefined();
      const third = await gql(trusted, SIGN_UP, input(), { headers });
      expect(third.code).toBe('RATE_LIMITED');
      expect(third.status).toBe(429);
      expect((await gql(trusted, SIGN_UP, input(), { headers: { 'x-forwarded-for': `198.51.100.${1 + Math.floor(Math.random() * 250)}` } })).code).toBeUndefined();
    } finally {
      await trusted.stop();
    }
  });
});
