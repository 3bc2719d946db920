// Organisations that require MFA: only an OWNER with TOTP turns it on, which ends the sessions there
// of members without it; they then sign in (or switch) through enrolment with a challenge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { inviteAndAccept, gql, ok, signIn, signUp } from './helpers/graphql.js';
import { SIGN_IN, challengeOf, codeAt, complete, enableTotp, mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import { openLive, untilStreams } from './helpers/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig());
});
afterAll(() => server?.stop());

const SET = graphql(`mutation SetOrganizationMfaRequirement($o: ID!, $r: Boolean!) { setOrganizationMfaRequirement(organizationId: $o, required: $r) { id requireMfa } }`);
const START_WITH = graphql(`mutation StartTotpEnrollmentWithChallenge($c: String!) { startTotpEnrollment(challenge: $c) { secret } }`);
const CONFIRM_WITH = graphql(`mutation ConfirmEnrollmentForOrganization($c: String!, $code: String!) { confirmTotpEnrollment(challenge: $c, code: $code) { recoveryCodes revokedCount token session { id organization { id } } } }`);
const SWITCH = graphql(`mutation SwitchTo($o: ID!) { switchOrganization(organizationId: $o) { token } }`);
const ME = graphql(`query MyMfaRequirement { me { id mfaEnabled currentOrganization { id requireMfa } } }`);

const prisma = () => server.app.services.prisma;
const sessionCount = (userId: string) => prisma().session.count({ where: { userId } });
const stats = () => server.app.registry.stats();

/** An owner with TOTP, and an organisation of theirs where `require` decides the rule. */
async function mfaOrganization(require = true) {
  const owner = await mfaUser(server);
  if (require) await ok(server, SET, { o: owner.organizationId, r: true }, owner.auth);
  return owner;
}

/** signIn's MFA_ENROLLMENT_REQUIRED: its challenge (throws on anything else). */
async function enrolmentChallenge(user: Pick<TestUser, 'email' | 'password'>, organizationId: string): Promise<string> {
  const res = await gql(server, SIGN_IN, { input: { email: user.email, password: user.password, organizationId } });
  const challenge = res.errors?.[0]?.extensions?.challenge;
  if (res.code !== 'MFA_ENROLLMENT_REQUIRED' || typeof challenge !== 'string') throw new Error(`expected MFA_ENROLLMENT_REQUIRED, got ${res.status} ${JSON.stringify(res.errors)}`);
  return challenge;
}

async function enrolWith(challenge: string) {
  const { startTotpEnrollment } = await ok(server, START_WITH, { c: challenge });
  const res = await gql(server, CONFIRM_WITH, {
    c: challenge,
    code: await codeAt(server, startTotpEnrollment.secret),
  });
  return { ...res, secret: startTotpEnrollment.secret };
}

describe('setOrganizationMfaRequirement', () => {
  it('is for an OWNER with TOTP on only; audited; requireMfa is visible to members', async () => {
    const owner = await signUp(server);
    const [admin, member, outsider] = [await signUp(server), await signUp(server), await signUp(server)];
    await inviteAndAccept(server, owner, owner.organizationId, admin, 'ADMIN');
    await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
    const noMfa = await gql(server, SET, { o: owner.organizationId, r: true }, owner.auth);
    expect(noMfa.code).toBe('FORBIDDEN');
    expect(noMfa.errors?.[0]?.message).toMatch(/Turn on two-factor authentication for your own account/);
    for (const who of [admin, member]) {
      const { secret } = await enableTotp(server, who);
      const inOrg = await signInWithCode({ ...who, secret }, owner.organizationId);
      expect((await gql(server, SET, { o: owner.organizationId, r: true }, { token: inOrg })).code).toBe('FORBIDDEN');
    }
    expect((await gql(server, SET, { o: owner.organizationId, r: true }, outsider.auth)).code).toBe('NOT_FOUND');
    expect((await gql(server, SET, { o: owner.organizationId, r: true })).code).toBe('UNAUTHENTICATED');
    await enableTotp(server, owner);
    const { setOrganizationMfaRequirement } = await ok(server, SET, { o: owner.organizationId, r: true }, owner.auth);
    expect(setOrganizationMfaRequirement.requireMfa).toBe(true);
    expect((await ok(server, ME, {}, owner.auth)).me.currentOrganization.requireMfa).toBe(true);
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { type: 'ORGANIZATION_MFA_REQUIREMENT_CHANGED', organizationId: owner.organizationId } });
    expect(event).toMatchObject({ userId: owner.userId, sessionId: owner.sessionId, details: { required: true, revokedCount: 0 } });
  });

  it('needs a recent authentication', async () => {
    const owner = await mfaOrganization(false);
    server.clock.advance(server.config.reauthWindowMs + 1000);
    expect((await gql(server, SET, { o: owner.organizationId, r: true }, owner.auth)).code).toBe('REAUTHENTICATION_REQUIRED');
  });
});

/** A member with TOTP signed in to `organizationId` by password and code: the token. */
async function signInWithCode(user: TestUser & { secret: string }, organizationId: string): Promise<string> {
  const res = await complete(server, await challengeOf(server, user, organizationId), await nextCode(server, user.secret));
  return res.data!.completeSignIn.token;
}

describe('turning it on', () => {
  it("revokes that organisation's sessions of members without MFA only: REVOKED (MFA_REQUIRED), then 4403", async () => {
    const owner = await mfaOrganization(false);
    const plain = await signUp(server);
    const strong = await mfaUser(server);
    await inviteAndAccept(server, owner, owner.organizationId, plain, 'MEMBER');
    await inviteAndAccept(server, owner, owner.organizationId, strong, 'MEMBER');
    const plainThere = await signIn(server, plain, owner.organizationId);
    const strongThere = await signInWithCode(strong, owner.organizationId);
    const before = stats().streams;
    const sockets = await Promise.all([plainThere.token, plain.token, strongThere].map((token) => openLive(server.wsUrl, { token })));
    sockets.forEach((s) => s.subscribe());
    await untilStreams(stats, before + 3);
    const [plainSocket, homeSocket, strongSocket] = sockets;

    await ok(server, SET, { o: owner.organizationId, r: true }, owner.auth);
    const kicked = await plainSocket!.waitForEvent((e) => e.type === 'REVOKED');
    expect(kicked).toMatchObject({ reason: 'MFA_REQUIRED', session: { id: plainThere.sessionId } });
    expect((await plainSocket!.closed).code).toBe(4403);
    expect((await prisma().session.findUniqueOrThrow({ where: { id: plainThere.sessionId } })).revokedReason).toBe('MFA_REQUIRED');
    expect((await gql(server, ME, {}, plainThere.auth)).code).toBe('UNAUTHENTICATED');
    // Their session in their own organisation, the member with MFA, and the owner stay.
    await homeSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === plainThere.sessionId);
    for (const [socket, token] of [[homeSocket!, plain.token], [strongSocket!, strongThere], [null, owner.token]] as const) {
      if (socket) expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      expect((await gql(server, ME, {}, { token })).errors).toBeUndefined();
    }
    sockets.forEach((s) => s.close());
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { type: 'ORGANIZATION_MFA_REQUIREMENT_CHANGED', organizationId: owner.organizationId } });
    expect(event.details).toEqual({ required: true, revokedCount: 1 });
  });
});

describe('signing in without MFA', () => {
  it('answers MFA_ENROLLMENT_REQUIRED (403) with a challenge and no session; enrolment with it issues one', async () => {
    const owner = await mfaOrganization();
    const plain = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, plain, 'MEMBER');
    const before = await sessionCount(plain.userId);
    const res = await gql(server, SIGN_IN, { input: { email: plain.email, password: plain.password, organizationId: owner.organizationId } });
    expect(res.status).toBe(403);
    expect(res.code).toBe('MFA_ENROLLMENT_REQUIRED');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await sessionCount(plain.userId)).toBe(before);
    expect(await prisma().mfaChallenge.count({ where: { userId: plain.userId, kind: 'ENROLL', organizationId: owner.organizationId } })).toBe(1);
    // Their own organisation does not require it: the password is enough there.
    expect((await signIn(server, plain)).organizationId).toBe(plain.organizationId);

    const challenge = res.errors![0]!.extensions!.challenge as string;
    const enrolled = await enrolWith(challenge);
    expect(enrolled.errors).toBeUndefined();
    const payload = enrolled.data!.confirmTotpEnrollment;
    expect(payload.recoveryCodes).toHaveLength(10);
    expect(payload.session!.organization.id).toBe(owner.organizationId);
    expect(enrolled.headers.get('set-cookie') ?? '').toContain(`sg_session=${payload.token}`);
    const me = await ok(server, ME, {}, { token: payload.token! });
    expect(me.me).toMatchObject({ id: plain.userId, mfaEnabled: true, currentOrganization: { id: owner.organizationId } });
    expect((await prisma().auditEvent.findFirstOrThrow({ where: { sessionId: payload.session!.id, type: 'SIGN_IN' } })).details).toEqual({ secondFactor: 'TOTP', enrolled: true });
    // Used up; and from now on signIn asks for the code.
    expect((await gql(server, CONFIRM_WITH, { c: challenge, code: await nextCode(server, enrolled.secret) })).code).toBe('UNAUTHENTICATED');
    await challengeOf(server, plain, owner.organizationId);
  });

  it("the challenge serves its own user only, as an enrolment only, and for 5 minutes", async () => {
    const owner = await mfaOrganization();
    const plain = await signUp(server);
    const other = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, plain, 'MEMBER');
    const challenge = await enrolmentChallenge(plain, owner.organizationId);
    expect((await gql(server, START_WITH, { c: challenge }, other.auth)).code).toBe('UNAUTHENTICATED');
    expect((await prisma().user.findUniqueOrThrow({ where: { id: other.userId } })).totpSecret).toBeNull();
    // Not a sign-in challenge, nor the other way round.
    expect((await complete(server, challenge, '123456')).code).toBe('UNAUTHENTICATED');
    const strong = await mfaUser(server);
    expect((await gql(server, START_WITH, { c: await challengeOf(server, strong) })).code).toBe('UNAUTHENTICATED');

    const { startTotpEnrollment } = await ok(server, START_WITH, { c: challenge });
    const wrong = await gql(server, CONFIRM_WITH, { c: challenge, code: (await codeAt(server, startTotpEnrollment.secret)) === '000000' ? '111111' : '000000' });
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.extensions?.field).toBe('code');
    server.clock.advance(5 * 60_000 + 1000);
    expect((await gql(server, CONFIRM_WITH, { c: challenge, code: await codeAt(server, startTotpEnrollment.secret) })).code).toBe('UNAUTHENTICATED');
    expect((await prisma().user.findUniqueOrThrow({ where: { id: plain.userId } })).totpEnabledAt).toBeNull();
    expect(await prisma().session.count({ where: { userId: plain.userId, organizationId: owner.organizationId } })).toBe(0);
  });

  it('switchOrganization into it is refused with an enrolment challenge (after a recent authentication), which then works', async () => {
    const owner = await mfaOrganization();
    const plain = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, plain, 'MEMBER');
    const res = await gql(server, SWITCH, { o: owner.organizationId }, plain.auth);
    expect(res.code).toBe('MFA_ENROLLMENT_REQUIRED');
    expect((await gql(server, ME, {}, plain.auth)).errors).toBeUndefined();
    expect(await prisma().session.count({ where: { userId: plain.userId, organizationId: owner.organizationId } })).toBe(0);
    const enrolled = await enrolWith(res.errors![0]!.extensions!.challenge as string);
    expect(enrolled.data!.confirmTotpEnrollment.session!.organization.id).toBe(owner.organizationId);

    const stale = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, stale, 'MEMBER');
    server.clock.advance(server.config.reauthWindowMs + 1000);
    expect((await gql(server, SWITCH, { o: owner.organizationId }, stale.auth)).code).toBe('REAUTHENTICATION_REQUIRED');
  });

  it('turning TOTP off ends the sessions in organisations that require it', async () => {
    const owner = await mfaOrganization();
    const strong = await mfaUser(server);
    await inviteAndAccept(server, owner, owner.organizationId, strong, 'MEMBER');
    const there = await signInWithCode(strong, owner.organizationId);
    const code = await nextCode(server, strong.secret);
    await ok(server, graphql(`mutation DisableTotpKeepSessions($p: String!, $c: String!) { disableTotp(password: $p, code: $c, revokeOtherSessions: false) }`), { p: strong.password, c: code }, { token: there });
    expect((await gql(server, ME, {}, { token: there })).code).toBe('UNAUTHENTICATED');
    expect((await gql(server, ME, {}, strong.auth)).errors).toBeUndefined();
  });

  it('turning the requirement off restores password sign-in', async () => {
    const owner = await mfaOrganization();
    const plain = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, plain, 'MEMBER');
    await enrolmentChallenge(plain, owner.organizationId);
    await ok(server, SET, { o: owner.organizationId, r: false }, owner.auth);
    expect((await signIn(server, plain, owner.organizationId)).organizationId).toBe(owner.organizationId);
  });
});
