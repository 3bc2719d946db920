// Sign-in limits per (account, address): a guesser is stopped, the owner is not (issue #13.4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey, addressKey } from '../server/auth/rate-limit.js';
import { loadConfig } from '../server/process/config.js';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, PASSWORD, signIn, signUp, uniqueEmail } from './helpers/graphql.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);
const CHANGE_PASSWORD = graphql(`mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount } }`);

let server: TestServer;
beforeAll(async () => {
  server = await startServer(limited({ signInFailuresPerAccountAndIp: 3 }));
});
afterAll(() => server?.stop());

const attempt = (email: string, password: string, address: string) => gql(server, SIGN_IN, { input: { email, password } }, { headers: from(address) });
const wrong = (email: string, address: string) => attempt(email, 'wrong password!', address);
const right = (user: TestUser, address: string) => attempt(user.email, user.password, address);

describe('keys', () => {
  it('counts e-mail case, +tags and Gmail dots of one mailbox together', () => {
    expect(accountKey('Ada.Lovelace+work@GoogleMail.com')).toBe(accountKey('adalovelace@gmail.com'));
    expect(accountKey('Bob+x@example.com')).toBe('bob@example.com');
    expect(accountKey('b.o.b@example.com')).not.toBe(accountKey('bob@example.com'));
  });

  it('counts an IPv4 address alone and an IPv6 address by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:a:b::1')).toBe(addressKey('2001:0db8:000a:000b:ffff:1:2:3'));
    expect(addressKey('2001:db8:a:b::1')).not.toBe(addressKey('2001:db8:a:c::1'));
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});

describe('sign-in failures per account and address', () => {
  it("blocks a guesser's address, not the owner's right password from another one, nor the owner's session", async () => {
    const owner = await signUp(server);
    const guesser = newAddress();
    const [local, domain] = owner.email.split('@');
    for (const email of [owner.email, owner.email.toUpperCase(), `${local}+alias@${domain}`]) {
      expect((await wrong(email, guesser)).code).toBe('UNAUTHENTICATED');
    }
    const blocked = await right(owner, guesser);
    expect(blocked.status).toBe(429);
    expect(blocked.code).toBe('RATE_LIMITED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.errors?.[0]?.extensions?.retryAfter).toBe(retryAfter);

    // The owner, from elsewhere, signs in at once...
    expect((await signIn(server, owner, undefined, from(newAddress()))).token).toBeTruthy();
    // ...and changes the password from the session they already had.
    const changed = await gql(server, CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'a brand new password' } }, owner.auth);
    expect(changed.errors).toBeUndefined();
    // The guesser's address stays refused for this account.
    expect((await attempt(owner.email, 'a brand new password', guesser)).code).toBe('RATE_LIMITED');
  });

  it('counts failures only: a right password clears the pair', async () => {
    const user = await signUp(server);
    const at = newAddress();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await wrong(user.email, at)).code).toBe('UNAUTHENTICATED');
      expect((await right(user, at)).errors).toBeUndefined();
    }
    // Six failures in the window so far, never refused; three in a row are.
    for (let i = 0; i < 3; i++) expect((await wrong(user.email, at)).code).toBe('UNAUTHENTICATED');
    expect((await right(user, at)).code).toBe('RATE_LIMITED');
  });

  it("answers an unknown account exactly like a known one, limits included (no enumeration)", async () => {
    const known = await signUp(server);
    const at = newAddress();
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await wrong(email, at);
        seen.push(`${res.status} ${res.code} ${res.errors?.[0]?.message}`);
      }
      return seen;
    };
    const forKnown = await answers(known.email);
    expect(await answers(uniqueEmail('nobody'))).toEqual(forKnown);
    expect(forKnown.map((s) => s.split(' ')[1])).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('lets no more guesses through when they arrive together', async () => {
    const user = await signUp(server);
    const at = newAddress();
    const results = await Promise.all(Array.from({ length: 12 }, () => wrong(user.email, at)));
    const codes = results.map((r) => r.code).sort();
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(9);
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  });

  it('refuses to start with a variable whose meaning changed, naming its replacement', () => {
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN_PER_IP: '5' })).toThrow(/RATE_LIMIT_SIGN_IN_FAILURES_PER_IP/);
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '5' })).toThrow(/RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP/);
  });
});
