// Two-factor authentication with TOTP: enrolment, the second step of sign-in, recovery codes,
// turning it off. The password proves the first factor everywhere a factor changes (ASVS 5.0
// 6.4.4, 7.5.1); a change can sign out every other session (7.4.3). An organisation that requires
// MFA sends a user without it here from signIn with an ENROLL challenge instead of a session: the
// challenge stands in for the session and the password (checked by that signIn), and the
// confirmation then issues the session (auth/mfa-policy.ts).
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { CODE_REFUSED, spendChallengeAttempt, useChallenge } from '../auth/mfa-challenges.js';
import { revokeWhereMfaRequired } from '../auth/mfa-policy.js';
import { KEY_MISSING_MESSAGE } from '../auth/mfa-secrets.js';
import { verifyPassword } from '../auth/passwords.js';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from '../auth/recovery-codes.js';
import type { ParsedCode } from '../auth/second-factor.js';
import { checkSecondFactor, parseCode } from '../auth/second-factor.js';
import type { AuthState } from '../sessions/types.js';
import { REVOKE_REASON } from '../sessions/revoke-reasons.js';
import { newTotpSecret, totpUri } from '../auth/totp.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { Membership, MfaChallenge, Prisma, Session, User } from '../generated/prisma/client.js';
import { AuthPayload, issue, limitAttempts, notAMember } from './auth.js';
import { builder } from './builder.js';
import { SessionType } from './session.js';

const TotpEnrollment = builder.objectRef<{ secret: string; otpauthUri: string }>('TotpEnrollment').implement({
  description: 'A TOTP secret waiting for its first code (confirmTotpEnrollment). Shown once.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'Base32, for typing into an authenticator app.' }),
    otpauthUri: t.exposeString('otpauthUri', { description: 'otpauth:// URI, for a QR code.' }),
  }),
});

interface TotpConfirmationShape {
  recoveryCodes: string[];
  revokedCount: number;
  session?: Session;
  token?: string;
}

const TotpConfirmation = builder.objectRef<TotpConfirmationShape>('TotpConfirmation').implement({
  fields: (t) => ({
    recoveryCodes: t.exposeStringList('recoveryCodes', { description: 'Ten single-use codes that stand in for a TOTP code. Shown only now.' }),
    revokedCount: t.exposeInt('revokedCount', { description: 'Other sessions signed out.' }),
    session: t.field({ type: SessionType, nullable: true, description: 'With an enrolment challenge: the session now issued (as signIn would have).', resolve: (p) => p.session ?? null }),
    token: t.string({ nullable: true, description: "With an enrolment challenge: the new session's token (also set as the cookie).", resolve: (p) => p.token ?? null }),
  }),
});

const CompleteSignInInput = builder.inputType('CompleteSignInInput', {
  fields: (t) => ({
    challenge: t.string({ required: true, description: "`extensions.challenge` of signIn's MFA_REQUIRED error." }),
    code: t.string({ required: true, description: 'A TOTP code, or one of the recovery codes.' }),
  }),
});


/** One answer for every dead challenge: unknown, malformed, used, expired, exhausted. */
function refused(): never {
  return fail('UNAUTHENTICATED', { message: 'This sign-in challenge is unknown, used up or expired: sign in again.' });
}

/**
 * A live ENROLL challenge (one of its five attempts spent) and its user. A request that also holds
 * a session of someone else is refused: a challenge serves its own user only.
 */
async function enrolling(ctx: Context, token: string): Promise<{ challenge: MfaChallenge; user: User }> {
  const challenge = await spendChallengeAttempt(ctx, token, 'ENROLL');
  if (!challenge) refused();
  const user = await ctx.services.prisma.user.findUnique({ where: { id: challenge.userId } });
  if (!user) refused();
  const held = await ctx.authResult();
  if (held.ok && held.auth.userId !== user.id) refused();
  return { challenge, user };
}

/**
 * The signed-in user, after their password (the changePassword counter: a session gets no more
 * guesses). It checks the session itself: startTotpEnrollment, which may take a challenge in its
 * place, has no signedIn scope.
 */
async function withPassword(ctx: Context, password: string): Promise<{ auth: AuthState; user: User; succeeded: () => Promise<void> }> {
  const auth = await ctx.requireAuth();
  const attempt = await limitAttempts(ctx, 'changePassword', auth.userId);
  const user = await ctx.services.prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
  if (!(await verifyPassword(user.passwordHash, password))) fail('BAD_USER_INPUT', { field: 'password', message: 'The password is wrong.' });
  return { auth, user, succeeded: () => attempt.succeeded() };
}

/** Replaces the user's recovery codes by ten new ones; returns them, the only time they are seen. */
async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normalizeRecoveryCode(code) ?? code) })) });
  return codes;
}

async function revokeOthers(ctx: Context, auth: AuthState, revoke: boolean | null | undefined): Promise<number> {
  if (revoke === false) return 0;
  return (await ctx.services.sessions.revokeWhere(auth.userId, { exceptId: auth.sessionId }, REVOKE_REASON.MFA_CHANGED)).length;
}

builder.mutationField('startTotpEnrollment', (t) =>
  t.field({
    type: TotpEnrollment,
    description:
      "Makes a new TOTP secret for the signed-in user after checking their password; or, with `challenge` (signIn's MFA_ENROLLMENT_REQUIRED) and no password, for that challenge's user. Not enabled until confirmTotpEnrollment.",
    args: {
      password: t.arg.string({ description: 'Required with a session; not with a challenge.' }),
      challenge: t.arg.string({ description: "`extensions.challenge` of signIn's MFA_ENROLLMENT_REQUIRED: in place of a session and the password." }),
    },
    resolve: async (_root, args, ctx) => {
      const { prisma, mfaSecrets } = ctx.services;
      if (!mfaSecrets.available) fail('SERVICE_UNAVAILABLE', { message: KEY_MISSING_MESSAGE });
      let user: User;
      if (args.challenge != null) ({ user } = await enrolling(ctx, args.challenge));
      else {
        if (args.password == null) fail('BAD_USER_INPUT', { field: 'password', message: 'Enter your password.' });
        const checked = await withPassword(ctx, args.password);
        await checked.succeeded();
        user = checked.user;
      }
      // Replacing a working factor would need only a session and the password: disable first.
      if (user.totpEnabledAt) fail('CONFLICT', { message: 'Two-factor authentication is already on; turn it off first.' });
      const secret = newTotpSecret();
      await prisma.user.update({ where: { id: user.id }, data: { totpSecret: await mfaSecrets.encrypt(secret, user.id), totpLastStep: null } });
      return { secret, otpauthUri: totpUri(secret, user.email) };
    },
  }),
);

builder.mutationField('confirmTotpEnrollment', (t) =>
  t.field({
    type: TotpConfirmation,
    description:
      "Turns TOTP on with a first code from the app, and returns ten recovery codes (once). Other sessions are signed out unless revokeOtherSessions is false. With `challenge` (signIn's MFA_ENROLLMENT_REQUIRED) instead of a session, it also issues the session that signIn held back (`session`, `token`, the cookie); wrong codes then count as failed sign-ins, and the challenge takes five tries in all.",
    args: {
      code: t.arg.string({ required: true }),
      revokeOtherSessions: t.arg.boolean({ defaultValue: true }),
      challenge: t.arg.string({ description: "`extensions.challenge` of signIn's MFA_ENROLLMENT_REQUIRED: in place of a session." }),
    },
    resolve: async (_root, args, ctx) => {
      const code = parseCode('code', args.code, { recovery: false });
      if (args.challenge != null) return confirmWithChallenge(ctx, args.challenge, code, args.revokeOtherSessions);
      const auth = await ctx.requireAuth();
      const { prisma } = ctx.services;
      const user = await prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
      await checkEnrolmentCode(ctx, user, code);
      const recoveryCodes = await enable(ctx, user);
      const revokedCount = await revokeOthers(ctx, auth, args.revokeOtherSessions);
      await audit(prisma, { type: AUDIT.MFA_ENABLED, ...byCaller(auth, ctx.client), details: { revokedCount } });
      return { recoveryCodes, revokedCount };
    },
  }),
);

/** The first code of an enrolment waiting for it; a wrong one is BAD_USER_INPUT on `code`. */
async function checkEnrolmentCode(ctx: Context, user: User, code: ParsedCode): Promise<void> {
  if (user.totpEnabledAt) fail('CONFLICT', { message: 'Two-factor authentication is already on.' });
  if (!user.totpSecret) fail('BAD_USER_INPUT', { field: 'code', message: 'Start the enrolment first (startTotpEnrollment).' });
  if (!(await checkSecondFactor(ctx, user, code))) fail('BAD_USER_INPUT', { field: 'code', message: CODE_REFUSED });
}

/** Turns TOTP on; the ten new recovery codes. */
async function enable(ctx: Context, user: User): Promise<string[]> {
  const now = ctx.services.clock.now();
  return ctx.services.prisma.$transaction(async (tx) => {
    // Conditional: two confirmations racing enable once, with one set of codes.
    const { count } = await tx.user.updateMany({ where: { id: user.id, totpEnabledAt: null, totpSecret: user.totpSecret }, data: { totpEnabledAt: now } });
    if (count !== 1) fail('CONFLICT', { message: 'Two-factor authentication is already on.' });
    return replaceRecoveryCodes(tx, user.id);
  });
}

/** The membership a challenge signs in to, read again: it may have ended during the challenge's five minutes. */
async function challengeMembership(ctx: Context, challenge: Pick<MfaChallenge, 'userId' | 'organizationId'>): Promise<Membership> {
  const membership = await ctx.services.prisma.membership.findUnique({ where: { userId_organizationId: { userId: challenge.userId, organizationId: challenge.organizationId } } });
  return membership ?? notAMember();
}

/** Enrolment demanded at sign-in: the code enables TOTP and the held-back session is issued. */
async function confirmWithChallenge(ctx: Context, token: string, code: ParsedCode, revoke: boolean | null | undefined): Promise<TotpConfirmationShape> {
  const { challenge, user } = await enrolling(ctx, token);
  const { prisma } = ctx.services;
  // The same counters as wrong passwords: this is the end of a sign-in.
  const attempt = await limitAttempts(ctx, 'signIn', user.email);
  try {
    await checkEnrolmentCode(ctx, user, code);
  } catch (err) {
    await audit(prisma, { type: AUDIT.MFA_CHALLENGE_FAILED, userId: user.id, organizationId: challenge.organizationId, client: ctx.client, details: { during: 'ENROLLMENT', attempts: challenge.attempts } });
    throw err;
  }
  if (!(await useChallenge(ctx, challenge.id))) refused();
  const recoveryCodes = await enable(ctx, user);
  await attempt.succeeded();
  const membership = await challengeMembership(ctx, challenge);
  const enabled = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
  const payload = await issue(ctx, enabled, membership.organizationId, membership.role, 'SIGN_IN', { secondFactor: 'TOTP', enrolled: true });
  // Every other session of the user was signed in without the factor.
  const revokedCount = revoke === false ? 0 : (await ctx.services.sessions.revokeWhere(user.id, { exceptId: payload.session.id }, REVOKE_REASON.MFA_CHANGED)).length;
  await audit(prisma, { type: AUDIT.MFA_ENABLED, userId: user.id, sessionId: payload.session.id, organizationId: membership.organizationId, client: ctx.client, details: { revokedCount, atSignIn: true } });
  return { recoveryCodes, revokedCount, session: payload.session, token: payload.token };
}

/** The password and a current code (TOTP or recovery) of a user with TOTP on; wrong ones count as failures. */
async function withBothFactors(ctx: Context, password: string, rawCode: string): Promise<{ auth: AuthState; user: User }> {
  const code = parseCode('code', rawCode, { recovery: true });
  const { auth, user, succeeded } = await withPassword(ctx, password);
  if (!user.totpEnabledAt) fail('CONFLICT', { message: 'Two-factor authentication is not on.' });
  if (!(await checkSecondFactor(ctx, user, code, { sessionId: auth.sessionId, organizationId: auth.organizationId }))) {
    await audit(ctx.services.prisma, { type: AUDIT.MFA_CHALLENGE_FAILED, ...byCaller(auth, ctx.client), details: { during: 'MFA_CHANGE' } });
    fail('BAD_USER_INPUT', { field: 'code', message: CODE_REFUSED });
  }
  await succeeded();
  return { auth, user };
}

builder.mutationField('disableTotp', (t) =>
  t.boolean({
    description:
      'Turns TOTP off (password and a current code or a recovery code); its recovery codes go too. Other sessions are signed out unless revokeOtherSessions is false; sessions in organisations that require MFA (this one included) are always signed out (MFA_REQUIRED).',
    args: {
      password: t.arg.string({ required: true }),
      code: t.arg.string({ required: true }),
      revokeOtherSessions: t.arg.boolean({ defaultValue: true }),
    },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      if (ctx.services.config.mfaRequired) fail('FORBIDDEN', { message: 'Two-factor authentication is required for every account here: it cannot be turned off.' });
      const { auth, user } = await withBothFactors(ctx, args.password, args.code);
      const { prisma } = ctx.services;
      await prisma.$transaction([
        prisma.user.update({ where: { id: user.id }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } }),
        prisma.recoveryCode.deleteMany({ where: { userId: user.id } }),
        prisma.mfaChallenge.deleteMany({ where: { userId: user.id } }),
      ]);
      const revokedCount = await revokeOthers(ctx, auth, args.revokeOtherSessions);
      // Organisations that require MFA keep no session of a user without it, this one included.
      await revokeWhereMfaRequired(ctx, user.id);
      await audit(prisma, { type: AUDIT.MFA_DISABLED, ...byCaller(auth, ctx.client), details: { revokedCount } });
      return true;
    },
  }),
);

builder.mutationField('regenerateRecoveryCodes', (t) =>
  t.stringList({
    description: 'Replaces every recovery code by ten new ones (password and a current code or a recovery code). Shown only now.',
    args: { password: t.arg.string({ required: true }), code: t.arg.string({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      const { auth, user } = await withBothFactors(ctx, args.password, args.code);
      const codes = await ctx.services.prisma.$transaction((tx) => replaceRecoveryCodes(tx, user.id));
      await audit(ctx.services.prisma, { type: AUDIT.RECOVERY_CODES_REGENERATED, ...byCaller(auth, ctx.client) });
      return codes;
    },
  }),
);

builder.mutationField('completeSignIn', (t) =>
  t.field({
    type: AuthPayload,
    description:
      "The second step of a sign-in with TOTP: the challenge of signIn's MFA_REQUIRED error and a code (or a recovery code, once). Issues the session as signIn does. A challenge lives 5 minutes and takes 5 codes; wrong codes count as failed sign-ins.",
    args: { input: t.arg({ type: CompleteSignInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const code = parseCode('code', input.code, { recovery: true });
      const challenge = await spendChallengeAttempt(ctx, input.challenge);
      if (!challenge) refused();
      const { prisma } = ctx.services;
      const user = await prisma.user.findUnique({ where: { id: challenge.userId } });
      if (!user?.totpEnabledAt) refused();
      // The same counters as wrong passwords (per account and address, per address, per account).
      const attempt = await limitAttempts(ctx, 'signIn', user.email);
      const factor = await checkSecondFactor(ctx, user, code, { organizationId: challenge.organizationId });
      if (!factor) {
        await audit(prisma, { type: AUDIT.MFA_CHALLENGE_FAILED, userId: user.id, organizationId: challenge.organizationId, client: ctx.client, details: { attempts: challenge.attempts } });
        // `field`: the challenge still lives (a form shows this under the code, not back at the password).
        fail('UNAUTHENTICATED', { field: 'code', message: CODE_REFUSED });
      }
      if (!(await useChallenge(ctx, challenge.id))) refused();
      await attempt.succeeded();
      await ctx.services.rateLimiter.secondStepSucceeded(user.email, ctx.client.ipAddress ?? 'unknown');
      const membership = await challengeMembership(ctx, challenge);
      return issue(ctx, user, membership.organizationId, membership.role, 'SIGN_IN', { secondFactor: factor });
    },
  }),
);
