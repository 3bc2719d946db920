// The per-account bound, which paces and never locks, and changePassword's own counter.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, PASSWORD, signIn, signUp } from './helpers/graphql.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);
const CHANGE_PASSWORD = graphql(`mutation ChangePasswordCountToken($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount token } }`);

describe('failed sign-ins per account', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(limited({ signInFailuresPerAccount: 3, signInDelayMs: 2000 }));
  });
  afterAll(() => server?.stop());

  const attempt = (user: TestUser, password: string, address: string) => gql(server, SIGN_IN, { input: { email: user.email, password } }, { headers: from(address) });

  it('past its budget, paces the account (a short wait) for new addresses; an address the owner signed in from is never paced', async () => {
    const owner = await signUp(server);
    const home = newAddress();
    await signIn(server, owner, undefined, from(home));
    // A guesser with many addresses spends the budget...
    for (let i = 0; i < 3; i++) expect((await attempt(owner, 'wrong password!', newAddress())).code).toBe('UNAUTHENTICATED');
    // ...then gets one attempt per delay, whatever the address.
    expect((await attempt(owner, 'wrong password!', newAddress())).code).toBe('UNAUTHENTICATED');
    const paced = await attempt(owner, 'wrong password!', newAddress());
    expect(paced.code).toBe('RATE_LIMITED');
    expect(paced.status).toBe(429);
    expect(Number(paced.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(paced.headers.get('retry-after'))).toBeLessThanOrEqual(2);

    // The owner at home signs in at once.
    expect((await attempt(owner, PASSWORD, home)).errors).toBeUndefined();
    // Travelling, the owner waits a moment, not a lockout.
    const travelling = newAddress();
    const first = await attempt(owner, PASSWORD, travelling);
    if (first.code === 'RATE_LIMITED') {
      expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(2);
      await sleep(Number(first.headers.get('retry-after')) * 1000 + 100);
      expect((await attempt(owner, PASSWORD, travelling)).errors).toBeUndefined();
    } else {
      expect(first.errors).toBeUndefined();
    }
  });
});

describe('changePassword', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(limited({ passwordChangeFailures: 2, signInFailuresPerAccountAndIp: 2, signInFailuresPerAccount: 2 }));
  });
  afterAll(() => server?.stop());

  const change = (user: TestUser, currentPassword: string, newPassword = 'a brand new password') => gql(server, CHANGE_PASSWORD, { input: { currentPassword, newPassword } }, user.auth);

  it("is not blocked by others' failed sign-ins to the account", async () => {
    const owner = await signUp(server);
    for (let i = 0; i < 4; i++) await gql(server, SIGN_IN, { input: { email: owner.email, password: 'wrong password!' } }, { headers: from(newAddress()) });
    expect((await change(owner, PASSWORD)).errors).toBeUndefined();
  });

  it('limits wrong current passwords per user, in every session of theirs, without touching sign-in', async () => {
    const user = await signUp(server);
    const other = await signIn(server, user, undefined, from(newAddress()));
    expect((await change(user, 'wrong password!')).code).toBe('BAD_USER_INPUT');
    expect((await change(other, 'wrong password!')).code).toBe('BAD_USER_INPUT');
    for (const session of [user, other]) {
      const refused = await change(session, PASSWORD);
      expect(refused.code).toBe('RATE_LIMITED');
      expect(refused.status).toBe(429);
      expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    }
    // A third session (a new sign-in) is no way around it, and the sign-in itself is not refused.
    const third = await signIn(server, user, undefined, from(newAddress()));
    expect((await change(third, PASSWORD)).code).toBe('RATE_LIMITED');
    // Another user is not affected.
    const bystander = await signUp(server);
    expect((await change(bystander, PASSWORD)).errors).toBeUndefined();
  });

  it('forgets the failures once the current password was right', async () => {
    const user = await signUp(server);
    expect((await change(user, 'wrong password!')).code).toBe('BAD_USER_INPUT');
    const changed = await change(user, PASSWORD);
    expect(changed.errors).toBeUndefined();
    // The change ended the token it came with: this session goes on with the one it handed back.
    user.auth = { token: (changed.data as { changePassword: { token: string } }).changePassword.token };
    const now = 'a brand new password';
    expect((await change(user, 'wrong password!', 'another new password')).code).toBe('BAD_USER_INPUT');
    expect((await change(user, 'wrong password!', 'another new password')).code).toBe('BAD_USER_INPUT');
    expect((await change(user, now, 'another new password')).code).toBe('RATE_LIMITED');
  });
});
