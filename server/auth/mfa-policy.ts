// Organisations (or the whole deployment, MFA_REQUIRED) that require MFA (ASVS 5.0 6.3.3): no
// session of theirs is held by a user without TOTP. Enforced where a session is issued (signUp,
// signIn, completeSignIn, switchOrganization, which answer MFA_ENROLLMENT_REQUIRED instead) and
// where it would stop holding: turning the requirement on, and a member turning TOTP off, revoke
// such sessions (reason MFA_REQUIRED).
import type { Context } from '../graphql/context.js';
import type { User } from '../generated/prisma/client.js';
import { requireEnrollment } from './mfa-challenges.js';
import { REVOKE_REASON } from '../sessions/revoke-reasons.js';

/** Whether `user` may hold a session in the organisation: TOTP on, or not required there. */
export async function meetsMfaRequirement(ctx: Pick<Context, 'services'>, user: Pick<User, 'totpEnabledAt'>, organizationId: string): Promise<boolean> {
  if (user.totpEnabledAt) return true;
  // MFA_REQUIRED: the deployment requires it of every account, in every organisation.
  if (ctx.services.config.mfaRequired) return false;
  const org = await ctx.services.prisma.organization.findUnique({ where: { id: organizationId }, select: { requireMfa: true } });
  return !org?.requireMfa;
}

/** Before a session is issued: MFA_ENROLLMENT_REQUIRED with an enrolment challenge when the organisation requires MFA the user lacks. */
export async function enforceMfaRequirement(ctx: Context, user: Pick<User, 'id' | 'totpEnabledAt'>, organizationId: string): Promise<void> {
  if (!(await meetsMfaRequirement(ctx, user, organizationId))) await requireEnrollment(ctx, user, organizationId);
}

/**
 * Revokes the live sessions of the organisation held by members without TOTP — one revokeWhere per
 * user, so each user's sockets hear REVOKED (MFA_REQUIRED) and close with 4403. The count revoked.
 */
export async function revokeSessionsWithoutMfa(ctx: Pick<Context, 'services'>, organizationId: string): Promise<number> {
  const { prisma, sessions } = ctx.services;
  const members = await prisma.membership.findMany({ where: { organizationId, user: { totpEnabledAt: null } }, select: { userId: true } });
  let revoked = 0;
  for (const { userId } of members) revoked += (await sessions.revokeWhere(userId, { organizationId }, REVOKE_REASON.MFA_REQUIRED)).length;
  return revoked;
}

/** A user just turned TOTP off: their sessions in organisations that require it end. */
export async function revokeWhereMfaRequired(ctx: Pick<Context, 'services'>, userId: string): Promise<number> {
  const { prisma, sessions } = ctx.services;
  const orgs = await prisma.organization.findMany({ where: { requireMfa: true, memberships: { some: { userId } } }, select: { id: true } });
  let revoked = 0;
  for (const { id } of orgs) revoked += (await sessions.revokeWhere(userId, { organizationId: id }, REVOKE_REASON.MFA_REQUIRED)).length;
  return revoked;
}
