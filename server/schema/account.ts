// Deleting one's own account (ASVS 5.0 7.4.2): the password again, no organisation left without an
// owner, every session ended (sockets hear REVOKED and close) before the user row goes.
import { AUDIT, audit } from '../audit/events.js';
import { verifyPassword } from '../auth/passwords.js';
import { requireSecondFactorOf } from '../auth/second-factor.js';
import { REVOKE_REASON } from '../sessions/revoke-reasons.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { limitAttempts } from './auth.js';
import { builder } from './builder.js';

interface Holdings {
  /** Organisations the user alone belongs to: they go with the account. */
  alone: string[];
  /** Organisations the user leaves (others stay in them). */
  left: string[];
}

/**
 * The user's organisations, each locked (FOR UPDATE, as member changes lock them) so that no member
 * joins or owner leaves meanwhile; CONFLICT when the user is the only OWNER of one with others.
 */
async function holdings(tx: Prisma.TransactionClient, userId: string): Promise<Holdings> {
  const rows = await tx.$queryRaw<{ id: string; name: string; role: string; members: number; owners: number }[]>`
    SELECT o."id", o."name", m."role",
           (SELECT count(*)::int FROM "Membership" x WHERE x."organizationId" = o."id") AS "members",
           (SELECT count(*)::int FROM "Membership" x WHERE x."organizationId" = o."id" AND x."role" = 'OWNER') AS "owners"
    FROM "Organization" o JOIN "Membership" m ON m."organizationId" = o."id" AND m."userId" = ${userId}::uuid
    ORDER BY o."name"
    FOR UPDATE OF o`;
  const orphaned = rows.filter((r) => r.members > 1 && r.role === 'OWNER' && r.owners === 1);
  if (orphaned.length > 0) {
    const names = orphaned.map((r) => r.name).join(', ');
    fail('CONFLICT', { message: `You are the only owner of ${names}, which has other members. Make another member an owner, or remove the members, then delete your account.` });
  }
  return { alone: rows.filter((r) => r.members === 1).map((r) => r.id), left: rows.filter((r) => r.members > 1).map((r) => r.id) };
}

async function deleteAccount(ctx: Context, password: string, code: string | null | undefined): Promise<boolean> {
  const auth = ctx.auth();
  const { prisma, sessions } = ctx.services;
  // The password-change counter: a stolen session cannot guess the password here either.
  const attempt = await limitAttempts(ctx, 'changePassword', auth.userId);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: auth.userId } });
  if (!(await verifyPassword(user.passwordHash, password))) fail('BAD_USER_INPUT', { field: 'password', message: 'The password is wrong.' });
  await requireSecondFactorOf(ctx, user, code, auth.sessionId);
  await attempt.succeeded();
  // Refused before anything changes.
  await prisma.$transaction((tx) => holdings(tx, user.id));
  // Revoked first, through the store, so that every socket hears REVOKED and is closed (4403)
  // while the rows still exist; the delete below would end them silently.
  const revoked = await sessions.revokeWhere(user.id, {}, REVOKE_REASON.ACCOUNT_DELETED);
  ctx.clearSessionCookie();
  await prisma.$transaction(async (tx) => {
    // Checked again under the locks: a member added meanwhile must not be orphaned.
    const { alone, left } = await holdings(tx, user.id);
    await tx.organization.deleteMany({ where: { id: { in: alone } } });
    await tx.user.delete({ where: { id: user.id } }); // memberships, sessions, codes: cascade
    // No userId: AuditEvent.user cascades, and this row must outlive the user.
    await audit(tx, {
      type: AUDIT.ACCOUNT_DELETED,
      client: ctx.client,
      details: { userId: user.id, sessionId: auth.sessionId, revokedCount: revoked.length, deletedOrganizationIds: alone, leftOrganizationIds: left },
    });
  });
  return true;
}

builder.mutationField('deleteAccount', (t) =>
  t.boolean({
    description:
      "Deletes the signed-in user's account after checking the password (wrong: BAD_USER_INPUT, field `password`, limited like changePassword). Every session is signed out first (ACCOUNT_DELETED); organisations where the user is the only member are deleted too. CONFLICT while the user is the only OWNER of an organisation with other members. With two-factor authentication on, `code` is required too.",
    args: {
      password: t.arg.string({ required: true }),
      code: t.arg.string({ description: 'With two-factor authentication on: a current code or a recovery code.' }),
    },
    authScopes: { signedIn: true },
    resolve: (_root, args, ctx) => deleteAccount(ctx, args.password, args.code),
  }),
);
