// The second step of a sign-in with MFA (ASVS 5.0 6.3.3): the right password earns a challenge,
// not a session. A challenge is an opaque 256-bit token (only its SHA-256 is stored) bound to the
// user and the organisation asked for; it lives 5 minutes, takes at most 5 codes, and is used once.
// An ENROLL challenge is the same, for a user whose organisation requires MFA and who has none yet:
// it stands in for a session in startTotpEnrollment and confirmTotpEnrollment (schema/mfa.ts).
import { AUDIT, audit } from '../audit/events.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { MfaChallenge, User } from '../generated/prisma/client.js';
import type { Attempt } from './rate-limit.js';
import type { SecondFactor } from './second-factor.js';
import { checkSecondFactor, parseCode } from './second-factor.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';

export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
export const CHALLENGE_MAX_ATTEMPTS = 5;

/** SIGN_IN: the code step of a sign-in (completeSignIn). ENROLL: an enrolment demanded by the organisation. */
export type ChallengeKind = 'SIGN_IN' | 'ENROLL';

/** Issues a challenge for `user` and answers MFA_REQUIRED with it; no session is created. */
export async function requireSecondFactor(ctx: Context, user: Pick<User, 'id'>, organizationId: string): Promise<never> {
  return fail('MFA_REQUIRED', { challenge: await newChallenge(ctx, user.id, organizationId, 'SIGN_IN') });
}

/** The organisation requires MFA and `user` has none: MFA_ENROLLMENT_REQUIRED with an ENROLL challenge; no session. */
export async function requireEnrollment(ctx: Context, user: Pick<User, 'id'>, organizationId: string): Promise<never> {
  return fail('MFA_ENROLLMENT_REQUIRED', { challenge: await newChallenge(ctx, user.id, organizationId, 'ENROLL') });
}

async function newChallenge(ctx: Context, userId: string, organizationId: string, kind: ChallengeKind): Promise<string> {
  const { prisma, clock } = ctx.services;
  const now = clock.now();
  const token = newToken();
  // A user's dead challenges are dropped here, so the table needs no sweeper of its own.
  await prisma.mfaChallenge.deleteMany({ where: { userId, OR: [{ expiresAt: { lte: now } }, { usedAt: { not: null } }] } });
  await prisma.mfaChallenge.create({
    data: { tokenHash: hashToken(token), userId, organizationId, kind, createdAt: now, expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS) },
  });
  return token;
}

export const CODE_REFUSED = 'The code is wrong, or was already used.';

/**
 * signIn's step for a user with TOTP, after the right password. Without a code: MFA_REQUIRED with a
 * challenge. With `totpCode` (one-shot API use): the factor that matched, or UNAUTHENTICATED, the
 * sign-in attempt then staying counted as a failure.
 */
export async function secondFactorAtSignIn(ctx: Context, user: Pick<User, 'id' | 'totpSecret' | 'totpLastStep'>, organizationId: string, totpCode: string | null | undefined, attempt: Attempt): Promise<SecondFactor> {
  if (totpCode == null) return requireSecondFactor(ctx, user, organizationId);
  const factor = await checkSecondFactor(ctx, user, parseCode('totpCode', totpCode, { recovery: true }), { organizationId });
  if (!factor) {
    await audit(ctx.services.prisma, { type: AUDIT.MFA_CHALLENGE_FAILED, userId: user.id, organizationId, client: ctx.client, details: { during: 'SIGN_IN' } });
    fail('UNAUTHENTICATED', { message: CODE_REFUSED });
  }
  await attempt.succeeded();
  return factor;
}

/**
 * Spends one attempt of a live challenge before its code is checked — one conditional UPDATE, so
 * concurrent guesses cannot exceed the limit. Null: unknown, malformed, used, expired or exhausted.
 */
export async function spendChallengeAttempt(ctx: Context, token: string, kind: ChallengeKind = 'SIGN_IN'): Promise<MfaChallenge | null> {
  if (!isWellFormedToken(token)) return null;
  const now = ctx.services.clock.now();
  const [row] = await ctx.services.prisma.mfaChallenge.updateManyAndReturn({
    where: { tokenHash: hashToken(token), kind, usedAt: null, expiresAt: { gt: now }, attempts: { lt: CHALLENGE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  return row ?? null;
}

/** Marks a challenge used; false when a concurrent request used it first. */
export async function useChallenge(ctx: Context, id: string): Promise<boolean> {
  const { count } = await ctx.services.prisma.mfaChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: ctx.services.clock.now() } });
  return count === 1;
}
