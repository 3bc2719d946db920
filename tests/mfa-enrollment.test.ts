// TOTP enrolment, recovery codes and turning MFA off, through the real server.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MfaSecrets } from '../server/auth/mfa-secrets.js';
import { graphql } from './gql/index.js';
import { gql, ok, signIn, signUp } from './helpers/graphql.js';
import { CONFIRM, START, codeAt, enableTotp, mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import type { TestServer } from './helpers/server.js';
import { onPostgres, startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig());
});
afterAll(() => server?.stop());

const ME = graphql(`query MyMfa { me { id mfaEnabled } }`);
const DISABLE = graphql(`mutation DisableTotp($p: String!, $c: String!) { disableTotp(password: $p, code: $c) }`);
const REGENERATE = graphql(`mutation RegenerateRecoveryCodes($p: String!, $c: String!) { regenerateRecoveryCodes(password: $p, code: $c) }`);
const userRow = (id: string) => server.app.services.prisma.user.findUniqueOrThrow({ where: { id } });
const auditCount = (userId: string, type: string) => server.app.services.prisma.auditEvent.count({ where: { userId, type } });

describe('enrolment', () => {
  it('needs a session and the current password; nothing is stored otherwise', async () => {
    const u = await signUp(server);
    expect((await gql(server, START, { p: u.password })).code).toBe('UNAUTHENTICATED');
    const wrong = await gql(server, START, { p: 'not the password' }, u.auth);
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.extensions?.field).toBe('password');
    expect((await userRow(u.userId)).totpSecret).toBeNull();
  });

  it('returns a base32 secret and an otpauth URI, and does not enable MFA yet', async () => {
    const u = await signUp(server);
    const { startTotpEnrollment: e } = await ok(server, START, { p: u.password }, u.auth);
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(e.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(e.otpauthUri).toContain(`secret=${e.secret}`);
    expect((await ok(server, ME, {}, u.auth)).me.mfaEnabled).toBe(false);
    // The password alone still signs in.
    expect((await signIn(server, u)).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // At rest the secret is encrypted: neither the base32 text nor anything like it.
    const row = await userRow(u.userId);
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.totpSecret).not.toContain(e.secret);
    expect(row.totpEnabledAt).toBeNull();
  });

  it('refuses a wrong code, a malformed one and a replayed one; MFA stays off', async () => {
    const u = await signUp(server);
    const { startTotpEnrollment: e } = await ok(server, START, { p: u.password }, u.auth);
    const right = await codeAt(server, e.secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (const c of [wrong, '12345', 'abcdef', '1234567', '']) {
      const res = await gql(server, CONFIRM, { c }, u.auth);
      expect(res.code, c).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('code');
    }
    expect((await userRow(u.userId)).totpEnabledAt).toBeNull();
    expect((await gql(server, CONFIRM, { c: '123456' })).code).toBe('UNAUTHENTICATED');
  });

  it('enables with a right code: ten recovery codes of ≥ 112 bits, stored as SHA-256 only; audited', async () => {
    const u = await signUp(server);
    const { secret, recoveryCodes } = await enableTotp(server, u);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // 24 base32 characters: 120 bits.
    for (const c of recoveryCodes) expect(c).toMatch(/^[A-Z2-7]{6}(-[A-Z2-7]{6}){3}$/);
    const rows = await server.app.services.prisma.recoveryCode.findMany({ where: { userId: u.userId } });
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(recoveryCodes.some((c) => r.codeHash.includes(c.replace(/-/g, '')))).toBe(false);
    }
    const row = await userRow(u.userId);
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpSecret).not.toContain(secret);
    expect((await ok(server, ME, {}, u.auth)).me.mfaEnabled).toBe(true);
    expect(await auditCount(u.userId, 'MFA_ENABLED')).toBe(1);
    // A working factor is not replaced by a new enrolment: turn it off first.
    expect((await gql(server, START, { p: u.password }, u.auth)).code).toBe('CONFLICT');
  });

  it('signs out the other sessions by default (MFA_CHANGED), not this one', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    const { startTotpEnrollment: e } = await ok(server, START, { p: u.password }, u.auth);
    const { confirmTotpEnrollment: c } = await ok(
      server,
      graphql(`mutation ConfirmTotpEnrollmentCount($c: String!) { confirmTotpEnrollment(code: $c) { revokedCount } }`),
      { c: await codeAt(server, e.secret) },
      u.auth,
    );
    expect(c.revokedCount).toBe(1);
    expect((await gql(server, ME, {}, other.auth)).code).toBe('UNAUTHENTICATED');
    const revoked = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: other.sessionId } });
    expect(revoked.revokedReason).toBe('MFA_CHANGED');
    expect((await ok(server, ME, {}, u.auth)).me.mfaEnabled).toBe(true);
  });
});

describe('turning MFA off and new recovery codes', () => {
  it('disabling needs the password and a current code', async () => {
    const u = await mfaUser(server);
    const code = await nextCode(server, u.secret);
    const noPassword = await gql(server, DISABLE, { p: 'wrong password', c: code }, u.auth);
    expect(noPassword.code).toBe('BAD_USER_INPUT');
    expect(noPassword.errors?.[0]?.extensions?.field).toBe('password');
    const wrongCode = await gql(server, DISABLE, { p: u.password, c: code === '000000' ? '111111' : '000000' }, u.auth);
    expect(wrongCode.code).toBe('BAD_USER_INPUT');
    expect(wrongCode.errors?.[0]?.extensions?.field).toBe('code');
    expect((await gql(server, DISABLE, { p: u.password, c: 'garbage!' }, u.auth)).code).toBe('BAD_USER_INPUT');
    expect((await userRow(u.userId)).totpEnabledAt).not.toBeNull();

    expect((await ok(server, DISABLE, { p: u.password, c: code }, u.auth)).disableTotp).toBe(true);
    const row = await userRow(u.userId);
    expect([row.totpSecret, row.totpEnabledAt, row.totpLastStep]).toEqual([null, null, null]);
    expect(await server.app.services.prisma.recoveryCode.count({ where: { userId: u.userId } })).toBe(0);
    expect(await auditCount(u.userId, 'MFA_DISABLED')).toBe(1);
    expect((await ok(server, ME, {}, u.auth)).me.mfaEnabled).toBe(false);
    expect((await signIn(server, u)).token).toBeTruthy();
  });

  it('disables with a recovery code instead of a TOTP code (audited as used)', async () => {
    const u = await mfaUser(server);
    expect((await ok(server, DISABLE, { p: u.password, c: u.recoveryCodes[3]!.toLowerCase() }, u.auth)).disableTotp).toBe(true);
    expect(await auditCount(u.userId, 'RECOVERY_CODE_USED')).toBe(1);
  });

  it('regenerating replaces every recovery code', async () => {
    const u = await mfaUser(server);
    const { regenerateRecoveryCodes: fresh } = await ok(server, REGENERATE, { p: u.password, c: await nextCode(server, u.secret) }, u.auth);
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => u.recoveryCodes.includes(c))).toBe(false);
    // An old code no longer counts; a new one does.
    expect((await gql(server, REGENERATE, { p: u.password, c: u.recoveryCodes[0]! }, u.auth)).code).toBe('BAD_USER_INPUT');
    expect((await ok(server, REGENERATE, { p: u.password, c: fresh[0]! }, u.auth)).regenerateRecoveryCodes).toHaveLength(10);
  });
});

describe('the key of the secrets', () => {
  it('embedded: made on first use in DATA_DIR/mfa.key (0600) and read back by the next start', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mfa-key-'));
    try {
      const first = new MfaSecrets({ dataDir: dir, databaseUrl: undefined, mfaEncryptionKey: undefined });
      const stored = await first.encrypt('JBSWY3DPEHPK3PXP', 'user-1');
      expect((await stat(path.join(dir, 'mfa.key'))).mode & 0o777).toBe(0o600);
      const again = new MfaSecrets({ dataDir: dir, databaseUrl: undefined, mfaEncryptionKey: undefined });
      expect(await again.decrypt(stored, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
      // Bound to its user: copied onto another row it does not decrypt.
      await expect(again.decrypt(stored, 'user-2')).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a malformed MFA_ENCRYPTION_KEY fails the start', () => {
    expect(() => new MfaSecrets({ dataDir: 'memory://', databaseUrl: undefined, mfaEncryptionKey: 'c2hvcnQ=' })).toThrow(/MFA_ENCRYPTION_KEY/);
  });

  it.runIf(onPostgres)('with DATABASE_URL and no key, enrolment is SERVICE_UNAVAILABLE and says what to set', async () => {
    const keyless = await startServer({ mfaEncryptionKey: undefined });
    try {
      const u = await signUp(keyless);
      const res = await gql(keyless, START, { p: u.password }, u.auth);
      expect(res.status).toBe(503);
      expect(res.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.errors?.[0]?.message).toMatch(/MFA_ENCRYPTION_KEY/);
    } finally {
      await keyless.stop();
    }
  });
});
