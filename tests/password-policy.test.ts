// Password policy (ASVS 5.0 6.2.1, 6.2.4, 6.2.9, 6.2.11): a new password is refused when it is a
// common one, the product's name, or made of the account's own words; length counts code points.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, ok, PASSWORD, signIn, signUp, uniqueEmail } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const SIGN_UP = graphql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token } }`);
const CHANGE = graphql(`mutation ChangePasswordCountToken($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount token } }`);

async function trySignUp(password: string, patch: Record<string, string> = {}) {
  const email = patch.email ?? uniqueEmail('policy');
  const res = await gql(server, SIGN_UP, { input: { email, password, name: 'Test User', organizationName: 'Test Org', ...patch } });
  const stored = await server.app.services.prisma.user.count({ where: { email } });
  return { res, stored };
}

function expectRefused(res: Awaited<ReturnType<typeof gql>>, field: string, pattern: RegExp) {
  expect(res.status).toBe(400);
  expect(res.code).toBe('BAD_USER_INPUT');
  expect(res.errors?.[0]?.extensions?.field).toBe(field);
  expect(res.errors?.[0]?.message).toMatch(pattern);
}

describe('sign-up', () => {
  it.each(['password', '12345678', 'iloveyou', 'qwertyuiop', 'Session-Gateway', 'sessiongateway2024'])('refuses the guessable %j with a hint, writing nothing', async (password) => {
    const { res, stored } = await trySignUp(password);
    expectRefused(res, 'password', /too easy to guess\. \S/);
    expect(stored).toBe(0);
  });

  it("refuses the e-mail's local part, the name and the organisation name as the password", async () => {
    const email = `grace-hopper-${Date.now().toString(36)}@navy.example`;
    for (const password of [email.split('@')[0]!, 'Grace Hopper', 'gracehopper', 'Compilers Unit']) {
      const { res, stored } = await trySignUp(password, { email, name: 'Grace Hopper', organizationName: 'Compilers Unit' });
      expectRefused(res, 'password', /personal|guess/);
      expect(stored).toBe(0);
    }
  });

  it('accepts the suite’s password, and the same one sign-up refuses is still only a wrong password at sign-in', async () => {
    const u = await signUp(server, { password: PASSWORD });
    expect((await signIn(server, u)).token).toBeTruthy();
    // Sign-in never judges strength: a weak guess is just wrong.
    expect((await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: u.email, password: 'password' } })).code).toBe('UNAUTHENTICATED');
  });
});

describe('length in code points', () => {
  it('refuses 4 emoji (8 UTF-16 units) as too short', async () => {
    const password = '🦊🐙🦄🐝';
    expect(password.length).toBe(8);
    const { res, stored } = await trySignUp(password);
    expectRefused(res, 'password', /at least 8 characters/);
    expect(stored).toBe(0);
  });

  it('accepts a 256-code-point password with emoji (more than 256 UTF-16 units), and signs in with it', async () => {
    const words = ['tiger', 'maple', 'orbit', 'quartz', 'velvet', 'canyon', 'ember', 'lagoon'];
    const long = Array.from({ length: 40 }, (_, i) => `${words[i % words.length]}🦊${i}`).join(' ');
    const exact = [...long].slice(0, 256).join('');
    expect([...exact].length).toBe(256);
    expect(exact.length).toBeGreaterThan(256);
    const u = await signUp(server, { password: exact });
    await signIn(server, u);
  });

  it('refuses 257 code points', async () => {
    const { res } = await trySignUp(`${'🦊a'.repeat(128)}b`);
    expectRefused(res, 'password', /at most 256 characters/);
  });

  it('counts sign-in length alike: 256 emoji reach the password check, 257 do not', async () => {
    const u = await signUp(server);
    for (const password of ['🦊'.repeat(256), '🦊'.repeat(257)]) {
      const res = await gql(server, graphql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }`), { input: { email: u.email, password } });
      expect(res.code).toBe('UNAUTHENTICATED');
    }
    const failures = await server.app.services.prisma.auditEvent.count({ where: { userId: u.userId, type: 'SIGN_IN_FAILED' } });
    expect(failures).toBe(1); // the 257 was refused before the hash was read
  });
});

describe('changePassword', () => {
  it('refuses password1 as the new password, naming newPassword, and keeps the old one', async () => {
    const u = await signUp(server);
    const res = await gql(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'password1' } }, u.auth);
    expectRefused(res, 'newPassword', /too easy to guess/);
    await signIn(server, u);
  });

  it("refuses the user's own e-mail and name", async () => {
    const email = uniqueEmail('ada-lovelace');
    const u = await signUp(server, { email, name: 'Ada Lovelace' });
    for (const newPassword of [email, email.split('@')[0]!, 'Ada Lovelace']) {
      const res = await gql(server, CHANGE, { input: { currentPassword: u.password, newPassword } }, u.auth);
      expectRefused(res, 'newPassword', /guess/);
    }
  });

  it('accepts a strong one', async () => {
    const u = await signUp(server);
    const res = await ok(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'a brand new password' } }, u.auth);
    expect(res.changePassword.token).toBeTruthy();
    await signIn(server, { email: u.email, password: 'a brand new password' });
  });
});
