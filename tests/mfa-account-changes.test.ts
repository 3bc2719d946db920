// With two-factor authentication on, changing the password proves both factors, as a sign-in
// does (ASVS 5.0 7.5.1); deleting the account likewise (delete-account.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, ok, WHO_AM_I } from './helpers/graphql.js';
import { challengeOf, complete, mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const CHANGE = graphql(`mutation ChangePasswordNewToken($input: ChangePasswordInput!) { changePassword(input: $input) { token } }`);
let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig());
});
afterAll(() => server?.stop());

describe('changePassword with TOTP on', () => {
  it('refuses the password alone and a wrong code (field code), keeping the old password; a current code changes it', async () => {
    const u = await mfaUser(server);
    const input = { currentPassword: u.password, newPassword: 'a second factor passphrase' };
    for (const code of [undefined, '000000']) {
      const res = await gql(server, CHANGE, { input: { ...input, code } }, u.auth);
      expect(res.errors?.[0]?.extensions, String(code)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    }
    const before = await server.app.services.prisma.user.findUniqueOrThrow({ where: { id: u.userId }, select: { passwordHash: true } });
    const changed = await ok(server, CHANGE, { input: { ...input, code: await nextCode(server, u.secret) } }, u.auth);
    const after = await server.app.services.prisma.user.findUniqueOrThrow({ where: { id: u.userId }, select: { passwordHash: true } });
    expect(after.passwordHash).not.toBe(before.passwordHash);
    await ok(server, WHO_AM_I, undefined, { token: changed.changePassword.token });
  });

  it('takes a recovery code once', async () => {
    const u = await mfaUser(server);
    const code = u.recoveryCodes[0]!;
    const first = await ok(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'recovered long passphrase', code } }, u.auth);
    const again = await gql(server, CHANGE, { input: { currentPassword: 'recovered long passphrase', newPassword: 'and once more passphrase', code } }, { token: first.changePassword.token });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  });

  it('a sign-in challenge won with the old password dies with it', async () => {
    const u = await mfaUser(server);
    const challenge = await challengeOf(server, u);
    await ok(server, CHANGE, { input: { currentPassword: u.password, newPassword: 'a password after the challenge', code: await nextCode(server, u.secret) } }, u.auth);
    const res = await complete(server, challenge, await nextCode(server, u.secret));
    expect(res.code).toBe('UNAUTHENTICATED');
    expect(res.data?.completeSignIn).toBeFalsy();
  });
});
