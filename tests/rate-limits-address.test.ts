// Failed sign-ins per address (whatever the accounts), and the sign-up limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, PASSWORD, signUp, uniqueEmail } from './helpers/graphql.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const SIGN_IN = graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`);
const SIGN_UP = graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`);

/** Another address in the same /64 as `address`. */
const neighbour = (address: string) => address.replace(/::[0-9a-f]+$/, `::${Math.floor(Math.random() * 0xffff).toString(16)}`);

describe('sign-in failures per address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(limited({ signInFailuresPerIp: 4 }));
  });
  afterAll(() => server?.stop());

  it('refuses an address after its failures on any accounts; its successes do not count; an IPv6 /64 is one address', async () => {
    const user = await signUp(server);
    const at = newAddress();
    const signInAs = (email: string, password: string, address: string) => gql(server, SIGN_IN, { input: { email, password } }, { headers: from(address) });
    for (let i = 0; i < 6; i++) expect((await signInAs(user.email, PASSWORD, at)).errors).toBeUndefined();
    // Four accounts (unknown ones count too), four addresses of one /64.
    for (let i = 0; i < 4; i++) expect((await signInAs(uniqueEmail('guess'), 'wrong password!', neighbour(at))).code).toBe('UNAUTHENTICATED');
    const refused = await signInAs(user.email, PASSWORD, at);
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same user from another address is not affected.
    expect((await signInAs(user.email, PASSWORD, newAddress())).errors).toBeUndefined();
  });
});

describe('sign-up attempts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(limited({ signUpPerIp: 2, signUpPerAccount: 2 }));
  });
  afterAll(() => server?.stop());

  const input = (email = uniqueEmail()) => ({ input: { email, password: PASSWORD, name: 'N', organizationName: 'O' } });

  it('limits sign-ups per address (the proxied client address from a trusted proxy)', async () => {
    const at = newAddress();
    expect((await gql(server, SIGN_UP, input(), { headers: from(at) })).code).toBeUndefined();
    expect((await gql(server, SIGN_UP, input(), { headers: from(at) })).code).toBeUndefined();
    const third = await gql(server, SIGN_UP, input(), { headers: from(at) });
    expect(third.code).toBe('RATE_LIMITED');
    expect(third.status).toBe(429);
    expect(third.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect((await gql(server, SIGN_UP, input(), { headers: from(newAddress()) })).code).toBeUndefined();
  });

  it('limits sign-up attempts per account, whatever the address, counting +tags as one mailbox', async () => {
    const email = uniqueEmail('signup');
    const [local, domain] = email.split('@');
    expect((await gql(server, SIGN_UP, input(email), { headers: from(newAddress()) })).code).toBeUndefined();
    expect((await gql(server, SIGN_UP, input(email.toUpperCase()), { headers: from(newAddress()) })).code).toBe('CONFLICT');
    expect((await gql(server, SIGN_UP, input(`${local}+x@${domain}`), { headers: from(newAddress()) })).code).toBe('RATE_LIMITED');
  });
});
