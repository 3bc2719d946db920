// Sign-up, sign-in, sign-out and organisation switch: the mutations that issue or end sessions.
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { requireEnrollment, secondFactorAtSignIn } from '../auth/mfa-challenges.js';
import { enforceMfaRequirement, meetsMfaRequirement } from '../auth/mfa-policy.js';
import { afterPasswordChange } from '../auth/credential-change.js';
import { requireSecondFactorOf } from '../auth/second-factor.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Attempt } from '../auth/rate-limit.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { REVOKE_REASON } from '../sessions/revoke-reasons.js';
import type { Context } from '../graphql/context.js';
import { isUniqueViolation } from '../db/driver-errors.js';
import { fail } from '../graphql/errors.js';
import type { Role, Session, User } from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { withUniqueSlug } from './organization.js';
import { SessionType } from './session.js';
import { UserType } from './user.js';
import * as valid from './validate.js';

interface AuthPayloadShape {
  user: User;
  session: Session;
  token: string;
}

export const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
  description: 'A new session. `token` is also set as an HttpOnly cookie; API clients send it as `Authorization: Bearer <token>`.',
  fields: (t) => ({
    user: t.field({ type: UserType, resolve: (p) => p.user }),
    session: t.field({ type: SessionType, resolve: (p) => p.session }),
    token: t.exposeString('token'),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
    organizationName: t.string({ required: true }),
  }),
});

const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    organizationId: t.id({ description: "Default: the user's first organisation." }),
    totpCode: t.string({ description: 'For an account with TOTP, a code (or a recovery code) in the same call; without it such an account answers MFA_REQUIRED with a challenge for completeSignIn.' }),
  }),
});

/**
 * Counts an attempt (auth/rate-limit.ts); over a limit is RATE_LIMITED. `subject`: the e-mail, or
 * for changePassword the user id. The caller calls `succeeded()` once the password proved right.
 */
export async function limitAttempts(ctx: Context, kind: 'signIn' | 'signUp' | 'changePassword', subject: string): Promise<Attempt> {
  const { rateLimiter } = ctx.services;
  const ip = ctx.client.ipAddress ?? 'unknown';
  const decision =
    kind === 'signIn' ? await rateLimiter.signIn(subject, ip) : kind === 'signUp' ? await rateLimiter.signUp(subject, ip) : await rateLimiter.changePassword(subject);
  if (!decision.allowed) fail('RATE_LIMITED', { retryAfterSeconds: decision.retryAfterSeconds });
  return decision.attempt;
}

/** The answer to a sign-in or a switch into an organisation the user is no member of (or no longer). */
export function notAMember(): never {
  return fail('FORBIDDEN', { field: 'organizationId', message: 'You are not a member of this organization.' });
}

/** Issues a session, sets the cookie, and writes the audit row. */
/**
 * `authenticatedAt`: a switch passes its session's, so that moving to another organisation never
 * counts as proving the password (the re-authentication window, auth/reauth.ts).
 */
export async function issue(ctx: Context, user: User, organizationId: string, role: Role, type: 'SIGN_UP' | 'SIGN_IN' | 'ORGANIZATION_SWITCHED', details?: Prisma.InputJsonObject, authenticatedAt?: Date): Promise<AuthPayloadShape> {
  // Checked before the new cookie is queued: a refused old cookie's clearing must come first.
  const presented = type === 'ORGANIZATION_SWITCHED' || ctx.live ? null : await ctx.authResult();
  const { session, token } = await ctx.services.sessions.create(user.id, organizationId, ctx.client, authenticatedAt);
  ctx.setSessionCookie(token, session.expiresAt);
  ctx.setIssuedSession({ sessionId: session.id, userId: user.id, organizationId, role });
  await audit(ctx.services.prisma, { type: AUDIT[type], userId: user.id, sessionId: session.id, organizationId, client: ctx.client, details });
  // A new authentication ends the session the client held until now (ASVS 7.2.4); a switch revokes its own.
  if (presented?.ok) await ctx.services.sessions.revokeWhere(presented.auth.userId, { ids: [presented.auth.sessionId] }, REVOKE_REASON.SIGNED_OUT);
  return { user, session, token };
}

builder.mutationField('signUp', (t) =>
  t.field({
    type: AuthPayload,
    description: 'Creates an account, an organisation owned by it, and a session bound to that organisation.',
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const email = valid.email('email', input.email);
      await limitAttempts(ctx, 'signUp', email);
      const name = valid.text('name', input.name, 100, 'Name');
      const organizationName = valid.text('organizationName', input.organizationName, 100, 'Organization name');
      // Strength is judged with the account's own words: a password made of them is guessable.
      const password = await valid.newPassword('password', input.password, [...valid.emailWords(email), name, organizationName]);
      const { prisma } = ctx.services;
      const taken = () => fail('CONFLICT', { field: 'email', message: 'An account with this e-mail address already exists.' });
      if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) taken();
      const passwordHash = await hashPassword(password);
      let user: User;
      let organizationId: string;
      try {
        // A slug taken meanwhile reruns the transaction with another (withUniqueSlug).
        ({ user, organizationId } = await withUniqueSlug(ctx, organizationName, (slug) =>
          prisma.$transaction(async (tx) => {
            const created = await tx.user.create({ data: { email, name, passwordHash } });
            const org = await tx.organization.create({ data: { name: organizationName, slug, memberships: { create: { userId: created.id, role: 'OWNER' } } } });
            return { user: created, organizationId: org.id };
          }),
        ));
      } catch (err) {
        // Two sign-ups racing for one e-mail: the unique index decides. Told by the constraint:
        // any other unique violation is the masker's CONFLICT, not this message.
        if (isUniqueViolation(err, 'User', ['email'])) taken();
        throw err;
      }
      // With MFA_REQUIRED the new account sets up TOTP before it gets a session.
      await enforceMfaRequirement(ctx, user, organizationId);
      return issue(ctx, user, organizationId, 'OWNER', 'SIGN_UP');
    },
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: AuthPayload,
    description:
      "Signs in to one of the user's organisations. Wrong e-mail and wrong password answer alike. An organisation with requireMfa answers a user without TOTP MFA_ENROLLMENT_REQUIRED (403) with `extensions.challenge` for startTotpEnrollment / confirmTotpEnrollment, and creates no session.",
    args: { input: t.arg({ type: SignInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const email = valid.email('email', input.email);
      // An unknown account's failures count like a known one's: the limits tell nothing apart.
      const attempt = await limitAttempts(ctx, 'signIn', email);
      if (input.password.length === 0 || valid.passwordLength(input.password) > 256) fail('INVALID_CREDENTIALS');
      const { prisma } = ctx.services;
      const user = await prisma.user.findUnique({ where: { email } });
      if (!user) {
        await burnPasswordCheck(input.password);
        await audit(prisma, { type: AUDIT.SIGN_IN_FAILED, client: ctx.client, details: { reason: 'UNKNOWN_ACCOUNT' } });
        fail('INVALID_CREDENTIALS');
      }
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        await audit(prisma, { type: AUDIT.SIGN_IN_FAILED, userId: user.id, client: ctx.client, details: { reason: 'WRONG_PASSWORD' } });
        fail('INVALID_CREDENTIALS');
      }
      // With TOTP the failures are cleared only by completeSignIn's right code (schema/mfa.ts):
      // a right password alone must not reset the count of wrong codes nor make the address known.
      if (!user.totpEnabledAt) await attempt.succeeded();
      const requested = input.organizationId == null ? null : String(input.organizationId);
      const membership = await prisma.membership.findFirst({
        where: { userId: user.id, ...(requested !== null ? { organizationId: valid.isUuid(requested) ? requested : undefined } : {}) },
        orderBy: { createdAt: 'asc' },
      });
      if (!membership || (requested !== null && membership.organizationId !== requested)) {
        await audit(prisma, { type: AUDIT.SIGN_IN_FAILED, userId: user.id, client: ctx.client, details: { reason: 'NOT_A_MEMBER' } });
        notAMember();
      }
      // An organisation that requires MFA takes no session of a user without it: enrolment first.
      await enforceMfaRequirement(ctx, user, membership.organizationId);
      // With TOTP the password is only the first step: a code, or MFA_REQUIRED with a challenge and no session.
      const secondFactor = user.totpEnabledAt ? await secondFactorAtSignIn(ctx, user, membership.organizationId, input.totpCode, attempt) : undefined;
      return issue(ctx, user, membership.organizationId, membership.role, 'SIGN_IN', secondFactor ? { secondFactor } : undefined);
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    description: 'Revokes the current session and clears the cookie.',
    // No signedIn scope: the cookie is cleared before the check, even for a session already ended.
    resolve: async (_root, _args, ctx) => {
      ctx.clearSessionCookie();
      const auth = await ctx.requireAuth();
      await ctx.services.sessions.revokeWhere(auth.userId, { ids: [auth.sessionId] }, REVOKE_REASON.SIGNED_OUT);
      await audit(ctx.services.prisma, { type: AUDIT.SIGN_OUT, ...byCaller(auth, ctx.client) });
      return true;
    },
  }),
);

builder.mutationField('switchOrganization', (t) =>
  t.field({
    type: AuthPayload,
    description:
      'Moves to another organisation of the user: the current session is revoked and a new one issued. Into an organisation with requireMfa, a user without TOTP is answered MFA_ENROLLMENT_REQUIRED with an enrolment challenge (after REAUTHENTICATION_REQUIRED if the session proved its password too long ago), and nothing changes.',
    args: { organizationId: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      const auth = ctx.auth();
      const organizationId = String(args.organizationId);
      if (organizationId === auth.organizationId) fail('BAD_USER_INPUT', { field: 'organizationId', message: 'This session is already in this organization.' });
      const role = valid.isUuid(organizationId) ? (await ctx.viewerRoles()).get(organizationId) : undefined;
      if (!role) notAMember();
      const user = await ctx.services.prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
      if (!(await meetsMfaRequirement(ctx, user, organizationId))) {
        // The enrolment challenge stands in for the password (schema/mfa.ts): only a session that proved it lately gets one.
        await requireRecentAuth(ctx);
        await requireEnrollment(ctx, user, organizationId);
      }
      const payload = await issue(ctx, user, organizationId, role, 'ORGANIZATION_SWITCHED', { fromOrganizationId: auth.organizationId, previousSessionId: auth.sessionId }, auth.authenticatedAt);
      await ctx.services.sessions.revokeWhere(auth.userId, { ids: [auth.sessionId] }, REVOKE_REASON.ORGANIZATION_SWITCHED);
      return payload;
    },
  }),
);

builder.mutationField('refreshSession', (t) =>
  t.field({
    type: AuthPayload,
    description:
      'Replaces the session token (cookie sessions rotate by themselves every 15 minutes of use). The previous token is accepted for 30 seconds more; presented after that, it (like any earlier token of the session) revokes the session (TOKEN_REUSE). Concurrent calls with one token make one rotation and all answer with the same new token; a call with a token already replaced within those 30 seconds answers with the current one.',
    authScopes: { signedIn: true },
    resolve: async (_root, _args, ctx) => {
      const auth = ctx.auth();
      const token = await ctx.services.sessions.rotate(auth.sessionId, await heldToken(ctx));
      if (!token) fail('UNAUTHENTICATED');
      const { prisma } = ctx.services;
      const [user, session] = await Promise.all([prisma.user.findUniqueOrThrow({ where: { id: auth.userId } }), prisma.session.findUniqueOrThrow({ where: { id: auth.sessionId } })]);
      ctx.setSessionCookie(token, session.expiresAt);
      return { user, session, token };
    },
  }),
);

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({
    currentPassword: t.string({ required: true }),
    newPassword: t.string({ required: true }),
    code: t.string({ description: 'With two-factor authentication on: a current code or a recovery code.' }),
  }),
});

const ChangePasswordPayload = builder.objectRef<{ revokedCount: number; token: string }>('ChangePasswordPayload').implement({
  fields: (t) => ({
    revokedCount: t.exposeInt('revokedCount', { description: 'Other sessions signed out.' }),
    token: t.exposeString('token', { description: "This session's new token (also set as the cookie): the previous one stops working after the grace window." }),
  }),
});

/** The token the request holds now (a rotation this request made included); none on a socket. */
async function heldToken(ctx: Context): Promise<string | undefined> {
  const result = await ctx.authResult();
  return result.ok ? result.token : undefined;
}

builder.mutationField('changePassword', (t) =>
  t.field({
    type: ChangePasswordPayload,
    description: 'Changes the password after checking the current one, signs out every other session, and gives this one a new token.',
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, { input }, ctx) => {
      const auth = ctx.auth();
      const { prisma, sessions } = ctx.services;
      // Its own counter per user: others' failed sign-ins never block it, and a stolen session
      // (or several) cannot guess the current password for long.
      const attempt = await limitAttempts(ctx, 'changePassword', auth.userId);
      const user = await prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        fail('BAD_USER_INPUT', { field: 'currentPassword', message: 'The current password is wrong.' });
      }
      await requireSecondFactorOf(ctx, user, input.code, auth.sessionId);
      await attempt.succeeded();
      const newPassword = await valid.newPassword('newPassword', input.newPassword, [...valid.emailWords(user.email), user.name]);
      if (newPassword === input.currentPassword) fail('BAD_USER_INPUT', { field: 'newPassword', message: 'Choose a password different from the current one.' });
      const passwordHash = await hashPassword(newPassword);
      await prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
        await afterPasswordChange(tx, user.id, 'PASSWORD_CHANGED', ctx.services.clock.now());
      });
      const revoked = await sessions.revokeWhere(user.id, { exceptId: auth.sessionId }, REVOKE_REASON.PASSWORD_CHANGED);
      // The token this request came with ends now: a copy of it must not outlive the old password.
      const token = await sessions.rotate(auth.sessionId, undefined, { endHeld: true });
      if (!token) fail('UNAUTHENTICATED');
      ctx.setSessionCookie(token, auth.expiresAt);
      // The current password was just proved: this session counts as freshly authenticated.
      await sessions.markAuthenticated(auth.sessionId);
      await audit(prisma, { type: AUDIT.PASSWORD_CHANGED, ...byCaller(auth, ctx.client), details: { revokedCount: revoked.length } });
      return { revokedCount: revoked.length, token };
    },
  }),
);
