// Sign-in in two steps for users with TOTP: the password earns a challenge, a code the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createOrganization, gql, ok, WHO_AM_I } from './helpers/graphql.js';
import { SIGN_IN, challengeOf, codeAt, complete, mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig());
});
afterAll(() => server?.stop());

const sessionCount = (userId: string) => server.app.services.prisma.session.count({ where: { userId } });
const wrongThan = (code: string) => (code === '000000' ? '111111' : '000000');

describe('the first step', () => {
  it('the right password alone creates no session: MFA_REQUIRED (401) with a challenge, stored hashed', async () => {
    const u = await mfaUser(server);
    const before = await sessionCount(u.userId);
    const res = await gql(server, SIGN_IN, { input: { email: u.email, password: u.password } });
    expect(res.status).toBe(401);
    expect(res.code).toBe('MFA_REQUIRED');
    expect(res.data?.signIn ?? null).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    const challenge = res.errors?.[0]?.extensions?.challenge as string;
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessionCount(u.userId)).toBe(before);
    const rows = await server.app.services.prisma.mfaChallenge.findMany({ where: { userId: u.userId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.tokenHash).not.toContain(challenge);
    // A wrong password stays INVALID_CREDENTIALS, with no challenge.
    const wrong = await gql(server, SIGN_IN, { input: { email: u.email, password: 'not the password' } });
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.extensions?.challenge).toBeUndefined();
  });
});

describe('one-shot sign-in (totpCode)', () => {
  it('signs in with the password and a code in one call; a wrong code creates nothing', async () => {
    const u = await mfaUser(server);
    const before = await sessionCount(u.userId);
    const code = await nextCode(server, u.secret);
    const wrong = await gql(server, SIGN_IN, { input: { email: u.email, password: u.password, totpCode: wrongThan(code) } });
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.extensions?.challenge).toBeUndefined();
    const malformed = await gql(server, SIGN_IN, { input: { email: u.email, password: u.password, totpCode: '12' } });
    expect(malformed.code).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.extensions?.field).toBe('totpCode');
    expect(await sessionCount(u.userId)).toBe(before);
    const res = await gql(server, SIGN_IN, { input: { email: u.email, password: u.password, totpCode: code } });
    expect(res.errors).toBeUndefined();
    expect((await ok(server, WHO_AM_I, {}, { token: res.data!.signIn.token })).me.id).toBe(u.userId);
    // The same code again: refused (its step is spent).
    expect((await gql(server, SIGN_IN, { input: { email: u.email, password: u.password, totpCode: code } })).code).toBe('UNAUTHENTICATED');
  });
});

describe('completeSignIn', () => {
  it('issues a session with the right code, exactly as signIn does', async () => {
    const u = await mfaUser(server);
    const challenge = await challengeOf(server, u);
    const res = await complete(server, challenge, await nextCode(server, u.secret));
    expect(res.errors).toBeUndefined();
    const payload = res.data!.completeSignIn;
    expect(payload.user.id).toBe(u.userId);
    expect(payload.session.organization.id).toBe(u.organizationId);
    expect(res.headers.get('set-cookie') ?? '').toContain(`sg_session=${payload.token}`);
    const me = await ok(server, graphql(`query MyMfa { me { id mfaEnabled } }`), {}, { token: payload.token });
    expect(me.me).toEqual({ id: u.userId, mfaEnabled: true });
    const event = await server.app.services.prisma.auditEvent.findFirstOrThrow({ where: { sessionId: payload.session.id, type: 'SIGN_IN' } });
    expect(event.details).toEqual({ secondFactor: 'TOTP' });
    // The challenge is used up.
    expect((await complete(server, challenge, await nextCode(server, u.secret))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a code replayed in its step, and a code from two steps ago; accepts the previous step once', async () => {
    const u = await mfaUser(server);
    const code = await nextCode(server, u.secret);
    expect((await complete(server, await challengeOf(server, u), code)).data?.completeSignIn.token).toBeTruthy();
    const challenge = await challengeOf(server, u);
    const replay = await complete(server, challenge, code);
    expect(replay.status).toBe(401);
    expect(replay.code).toBe('UNAUTHENTICATED');
    server.clock.advance(90_000);
    expect((await complete(server, challenge, await codeAt(server, u.secret, -2))).code).toBe('UNAUTHENTICATED');
    // One step of drift is tolerated (a code typed as the step turned), and the challenge still has attempts.
    expect((await complete(server, challenge, await codeAt(server, u.secret, -1))).data?.completeSignIn.token).toBeTruthy();
  });

  it('refuses an expired challenge (5 minutes)', async () => {
    const u = await mfaUser(server);
    const challenge = await challengeOf(server, u);
    server.clock.advance(6 * 60_000);
    const before = await sessionCount(u.userId);
    expect((await complete(server, challenge, await codeAt(server, u.secret))).code).toBe('UNAUTHENTICATED');
    expect(await sessionCount(u.userId)).toBe(before);
  });

  it('a challenge takes 5 codes: wrong ones exhaust it, and then even the right code is refused', async () => {
    const u = await mfaUser(server);
    const challenge = await challengeOf(server, u);
    const right = await nextCode(server, u.secret);
    for (let i = 0; i < 6; i++) expect((await complete(server, challenge, wrongThan(right))).code).toBe('UNAUTHENTICATED');
    expect((await complete(server, challenge, right)).code).toBe('UNAUTHENTICATED');
    expect(await server.app.services.prisma.auditEvent.count({ where: { userId: u.userId, type: 'MFA_CHALLENGE_FAILED' } })).toBe(5);
    // A new sign-in gives a new challenge.
    expect((await complete(server, await challengeOf(server, u), right)).data?.completeSignIn.token).toBeTruthy();
  });

  it('takes a recovery code once, and not twice', async () => {
    const u = await mfaUser(server);
    const code = u.recoveryCodes[5]!;
    const first = await complete(server, await challengeOf(server, u), code);
    expect(first.errors).toBeUndefined();
    expect(await server.app.services.prisma.auditEvent.count({ where: { userId: u.userId, type: 'RECOVERY_CODE_USED' } })).toBe(1);
    expect((await complete(server, await challengeOf(server, u), code)).code).toBe('UNAUTHENTICATED');
    // Letter case and dashes do not matter; another code still works.
    expect((await complete(server, await challengeOf(server, u), u.recoveryCodes[6]!.replace(/-/g, '').toLowerCase())).errors).toBeUndefined();
  });

  it('answers bad input with 400 or 401, never a 500', async () => {
    const u = await mfaUser(server);
    const challenge = await challengeOf(server, u);
    const cases: [string, string, string][] = [
      ['x', '123456', 'UNAUTHENTICATED'],
      ['A'.repeat(43), '123456', 'UNAUTHENTICATED'],
      ['', '123456', 'UNAUTHENTICATED'],
      ['💥'.repeat(2000), '123456', 'UNAUTHENTICATED'],
      [challenge, '12345', 'BAD_USER_INPUT'],
      [challenge, 'abcdef', 'BAD_USER_INPUT'],
      [challenge, '1'.repeat(10_000), 'BAD_USER_INPUT'],
      [challenge, '', 'BAD_USER_INPUT'],
    ];
    for (const [c, code, expected] of cases) {
      const res = await gql(server, graphql(`mutation CompleteSignIn($input: CompleteSignInInput!) { completeSignIn(input: $input) { token } }`), { input: { challenge: c, code } });
      expect(res.code, `${c.slice(0, 10)} / ${code.slice(0, 10)}`).toBe(expected);
      expect(res.status).toBe(expected === 'BAD_USER_INPUT' ? 400 : 401);
    }
    // Malformed codes spent no attempt of the challenge.
    expect((await server.app.services.prisma.mfaChallenge.findFirstOrThrow({ where: { userId: u.userId } })).attempts).toBe(0);
  });
});

describe('a challenge belongs to its user and organisation', () => {
  it("another user's code or session cannot complete someone else's challenge", async () => {
    const a = await mfaUser(server);
    const b = await mfaUser(server);
    const challenge = await challengeOf(server, a);
    const bCode = await nextCode(server, b.secret);
    expect((await complete(server, challenge, bCode)).code).toBe('UNAUTHENTICATED');
    expect((await complete(server, challenge, bCode, b.auth)).code).toBe('UNAUTHENTICATED');
    expect((await complete(server, challenge, b.recoveryCodes[0]!, b.auth)).code).toBe('UNAUTHENTICATED');
    // And A's code does not open B's challenge.
    expect((await complete(server, await challengeOf(server, b), await codeAt(server, a.secret))).code).toBe('UNAUTHENTICATED');
    expect(await sessionCount(a.userId)).toBe(1);
  });

  it('the session goes to the organisation asked for; a foreign one is FORBIDDEN before any challenge', async () => {
    const a = await mfaUser(server);
    const b = await mfaUser(server);
    const second = await createOrganization(server, a);
    const res = await complete(server, await challengeOf(server, a, second), await nextCode(server, a.secret));
    expect(res.data?.completeSignIn.session.organization.id).toBe(second);
    const foreign = await gql(server, SIGN_IN, { input: { email: b.email, password: b.password, organizationId: second } });
    expect(foreign.code).toBe('FORBIDDEN');
    expect(await server.app.services.prisma.mfaChallenge.count({ where: { userId: b.userId } })).toBe(0);
  });
});

describe('failure limits', () => {
  let limitedServer: TestServer;
  beforeAll(async () => {
    limitedServer = await startServer({ ...mfaConfig(), ...limited({ signInFailuresPerAccountAndIp: 3 }) });
  });
  afterAll(() => limitedServer?.stop());

  it('wrong codes count with wrong passwords per account and address; only a right code clears them', async () => {
    const u = await mfaUser(limitedServer);
    const guesser = from(newAddress());
    const challenge = await challengeOf(limitedServer, u, undefined, guesser); // 1: the password alone does not clear
    const right = await nextCode(limitedServer, u.secret);
    for (let i = 0; i < 2; i++) expect((await complete(limitedServer, challenge, wrongThan(right), { headers: guesser })).code).toBe('UNAUTHENTICATED');
    const blocked = await complete(limitedServer, challenge, right, { headers: guesser });
    expect(blocked.code).toBe('RATE_LIMITED');
    expect(blocked.status).toBe(429);
    expect((await gql(limitedServer, SIGN_IN, { input: { email: u.email, password: u.password } }, { headers: guesser })).code).toBe('RATE_LIMITED');
    // The owner elsewhere is not blocked, and a right code there clears that address's count.
    const owner = from(newAddress());
    for (let round = 0; round < 3; round++) {
      const res = await complete(limitedServer, await challengeOf(limitedServer, u, undefined, owner), await nextCode(limitedServer, u.secret), { headers: owner });
      expect(res.errors).toBeUndefined();
    }
  });
});
