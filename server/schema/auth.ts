// Sign-up, sign-in, sign-out and organisation switch: the mutations that issue or end sessions.
import { AUDIT, audit } from '../audit.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.js';
import { accountKey } from '../auth/rate-limit.js';
import { REVOKE_REASON } from '../auth/sessions.js';
import type { Context } from '../context.js';
import { fail } from '../errors.js';
import type { Role, Session, User } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { uniqueSlug } from './organization.js';
import { SessionType } from './session.js';
import { UserType } from './user.js';
import * as valid from './validate.js';

interface AuthPayloadShape {
  user: User;
  session: Session;
  token: string;
}

const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
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
  }),
});

/** Counts a sign-in or sign-up attempt per account and per IP; over the limit is RATE_LIMITED. */
async function limitAttempts(ctx: Context, kind: 'signIn' | 'signUp', email: string): Promise<void> {
  const { rateLimits: r } = ctx.services.config;
  const [perAccount, perIp] = kind === 'signIn' ? [r.signInPerAccount, r.signInPerIp] : [r.signUpPerAccount, r.signUpPerIp];
  const decision = await ctx.services.rateLimiter.hitAll([
    [`${kind}:ip:${ctx.client.ipAddress ?? 'unknown'}`, { max: perIp, windowMs: r.windowMs }],
    [`${kind}:account:${accountKey(email)}`, { max: perAccount, windowMs: r.windowMs }],
  ]);
  if (!decision.allowed) fail('RATE_LIMITED', { retryAfterSeconds: decision.retryAfterSeconds });
}

/** Issues a session, sets the cookie, and writes the audit row. */
async function issue(ctx: Context, user: User, organizationId: string, role: Role, type: 'SIGN_UP' | 'SIGN_IN' | 'ORGANIZATION_SWITCHED', details?: Prisma.InputJsonObject): Promise<AuthPayloadShape> {
  const { session, token } = await ctx.services.sessions.create(user.id, organizationId, ctx.client);
  ctx.setSessionCookie(token, session.expiresAt);
  ctx.setIssuedSession({ sessionId: session.id, userId: user.id, organizationId, role });
  await audit(ctx.services.prisma, { type: AUDIT[type], userId: user.id, sessionId: session.id, organizationId, client: ctx.client, details });
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
      const password = valid.password('password', input.password);
      const name = valid.text('name', input.name, 100, 'Name');
      const organizationName = valid.text('organizationName', input.organizationName, 100, 'Organization name');
      const { prisma } = ctx.services;
      const taken = () => fail('CONFLICT', { field: 'email', message: 'An account with this e-mail address already exists.' });
      if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) taken();
      const passwordHash = await hashPassword(password);
      const slug = await uniqueSlug(ctx, organizationName);
      let user: User;
      let organizationId: string;
      try {
        ({ user, organizationId } = await prisma.$transaction(async (tx) => {
          const created = await tx.user.create({ data: { email, name, passwordHash } });
          const org = await tx.organization.create({ data: { name: organizationName, slug, memberships: { create: { userId: created.id, role: 'OWNER' } } } });
          return { user: created, organizationId: org.id };
        }));
      } catch (err) {
        // Two sign-ups racing for one e-mail: the unique index decides.
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') taken();
        throw err;
      }
      return issue(ctx, user, organizationId, 'OWNER', 'SIGN_UP');
    },
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: AuthPayload,
    description: 'Signs in to one of the user\'s organisations. Wrong e-mail and wrong password answer alike.',
    args: { input: t.arg({ type: SignInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const email = valid.email('email', input.email);
      await limitAttempts(ctx, 'signIn', email);
      if (input.password.length === 0 || input.password.length > 256) fail('INVALID_CREDENTIALS');
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
      const requested = input.organizationId == null ? null : String(input.organizationId);
      const membership = await prisma.membership.findFirst({
        where: { userId: user.id, ...(requested !== null ? { organizationId: valid.isUuid(requested) ? requested : undefined } : {}) },
        orderBy: { createdAt: 'asc' },
      });
      if (!membership || (requested !== null && membership.organizationId !== requested)) {
        await audit(prisma, { type: AUDIT.SIGN_IN_FAILED, userId: user.id, client: ctx.client, details: { reason: 'NOT_A_MEMBER' } });
        fail('FORBIDDEN', { field: 'organizationId', message: 'You are not a member of this organization.' });
      }
      return issue(ctx, user, membership.organizationId, membership.role, 'SIGN_IN');
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    description: 'Revokes the current session and clears the cookie.',
    resolve: async (_root, _args, ctx) => {
      ctx.clearSessionCookie();
      const auth = await ctx.requireAuth();
      await ctx.services.sessions.revokeWhere(auth.userId, { ids: [auth.sessionId] }, REVOKE_REASON.SIGNED_OUT);
      await audit(ctx.services.prisma, { type: AUDIT.SIGN_OUT, userId: auth.userId, sessionId: auth.sessionId, organizationId: auth.organizationId, client: ctx.client });
      return true;
    },
  }),
);

builder.mutationField('switchOrganization', (t) =>
  t.field({
    type: AuthPayload,
    description: 'Moves to another organisation of the user: the current session is revoked and a new one issued.',
    args: { organizationId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const auth = await ctx.requireAuth();
      const organizationId = String(args.organizationId);
      if (organizationId === auth.organizationId) fail('BAD_USER_INPUT', { field: 'organizationId', message: 'This session is already in this organization.' });
      const role = valid.isUuid(organizationId) ? (await ctx.viewerRoles()).get(organizationId) : undefined;
      if (!role) fail('FORBIDDEN', { field: 'organizationId', message: 'You are not a member of this organization.' });
      const user = await ctx.services.prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
      const payload = await issue(ctx, user, organizationId, role, 'ORGANIZATION_SWITCHED', { fromOrganizationId: auth.organizationId, previousSessionId: auth.sessionId });
      await ctx.services.sessions.revokeWhere(auth.userId, { ids: [auth.sessionId] }, REVOKE_REASON.ORGANIZATION_SWITCHED);
      return payload;
    },
  }),
);

builder.mutationField('refreshSession', (t) =>
  t.field({
    type: AuthPayload,
    description:
      'Replaces the session token (cookie sessions rotate by themselves every 15 minutes of use). The previous token is accepted for 30 seconds more; presented after that, it revokes the session (TOKEN_REUSE).',
    resolve: async (_root, _args, ctx) => {
      const auth = await ctx.requireAuth();
      const token = await ctx.services.sessions.rotateSession(auth.sessionId);
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
  }),
});

const ChangePasswordPayload = builder.objectRef<{ revokedCount: number }>('ChangePasswordPayload').implement({
  fields: (t) => ({ revokedCount: t.exposeInt('revokedCount', { description: 'Other sessions signed out.' }) }),
});

builder.mutationField('changePassword', (t) =>
  t.field({
    type: ChangePasswordPayload,
    description: 'Changes the password after checking the current one, signs out every other session, and gives this one a new token.',
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const auth = await ctx.requireAuth();
      const { prisma, sessions } = ctx.services;
      await limitAttempts(ctx, 'signIn', auth.email);
      const user = await prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        fail('BAD_USER_INPUT', { field: 'currentPassword', message: 'The current password is wrong.' });
      }
      const newPassword = valid.password('newPassword', input.newPassword);
      if (newPassword === input.currentPassword) fail('BAD_USER_INPUT', { field: 'newPassword', message: 'Choose a password different from the current one.' });
      await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } });
      const revoked = await sessions.revokeWhere(user.id, { exceptId: auth.sessionId }, REVOKE_REASON.PASSWORD_CHANGED);
      const token = await sessions.rotateSession(auth.sessionId);
      if (token) ctx.setSessionCookie(token, auth.expiresAt);
      await audit(prisma, { type: AUDIT.PASSWORD_CHANGED, userId: user.id, sessionId: auth.sessionId, organizationId: auth.organizationId, client: ctx.client, details: { revokedCount: revoked.length } });
      return { revokedCount: revoked.length };
    },
  }),
);
