// Answering an invitation: the invitee accepts or declines it, an OWNER or ADMIN of its
// organisation revokes it. An invitation the caller may not answer (someone else's, unknown, not a
// uuid, expired, already answered) is NOT_FOUND alike. Each answer is one conditional UPDATE on a
// PENDING row: of two racing answers one matches it, the other matches nothing.
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { isUniqueViolation } from '../db/driver-errors.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import { hasAtLeast } from '../auth/roles.js';
import { enqueueEvent } from '../webhooks/events.js';
import { builder } from './builder.js';
import { answerable } from './invitations.js';
import { isUuid } from './validate.js';

function notFound(): never {
  fail('NOT_FOUND', { message: 'Invitation not found.' });
}

function alreadyMember(): never {
  fail('CONFLICT', { message: 'You are a member of this organisation already.' });
}

function checkedId(id: string | number): string {
  const value = String(id);
  if (!isUuid(value)) notFound();
  return value;
}

builder.mutationField('acceptInvitation', (t) =>
  t.prismaField({
    type: 'Membership',
    description:
      'Accepts an invitation addressed to the signed-in user: a membership with the invited role, and the invitation ACCEPTED, in one transaction (with its member.joined deliveries). A member already: CONFLICT, and the invitation stays pending.',
    args: { id: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (query, _root, args, ctx) => {
      const auth = ctx.auth();
      const id = checkedId(args.id);
      const { prisma, clock } = ctx.services;
      const now = clock.now();
      const membership = await prisma
        .$transaction(async (tx) => {
          // The row lock is the decision: a racing accept waits here, then matches nothing.
          const { count } = await tx.invitation.updateMany({ where: answerable(ctx, id), data: { status: 'ACCEPTED', respondedAt: now } });
          if (count === 0) notFound();
          const invitation = await tx.invitation.findUniqueOrThrow({ where: { id } });
          const { organizationId, role } = invitation;
          if (await tx.membership.findUnique({ where: { userId_organizationId: { userId: auth.userId, organizationId } }, select: { id: true } })) alreadyMember();
          const created = await tx.membership.create({ data: { userId: auth.userId, organizationId, role } });
          await enqueueEvent(tx, 'member.joined', organizationId, { userId: auth.userId, role, actorUserId: auth.userId, invitationId: id, invitedByUserId: invitation.invitedById }, now);
          await audit(tx, { type: AUDIT.INVITATION_ACCEPTED, ...byCaller(auth, ctx.client), organizationId, details: { invitationId: id, email: invitation.email, role, memberUserId: auth.userId } });
          return created;
        })
        .catch((err: unknown) => {
          // Two invitations of one address to one organisation accepted at once: the unique index decides.
          if (isUniqueViolation(err, 'Membership', ['userId', 'organizationId'])) alreadyMember();
          throw err;
        });
      return prisma.membership.findUniqueOrThrow({ ...query, where: { id: membership.id } });
    },
  }),
);

builder.mutationField('declineInvitation', (t) =>
  t.prismaField({
    type: 'Invitation',
    description: 'Declines an invitation addressed to the signed-in user.',
    args: { id: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (query, _root, args, ctx) => {
      const auth = ctx.auth();
      const id = checkedId(args.id);
      const { prisma, clock } = ctx.services;
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.invitation.updateMany({ where: answerable(ctx, id), data: { status: 'DECLINED', respondedAt: clock.now() } });
        if (count === 0) notFound();
        const { organizationId, email, role } = await tx.invitation.findUniqueOrThrow({ where: { id } });
        await audit(tx, { type: AUDIT.INVITATION_DECLINED, ...byCaller(auth, ctx.client), organizationId, details: { invitationId: id, email, role } });
      });
      return prisma.invitation.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

/** The pending invitation `id` of an organisation the caller manages; another tenant's is NOT_FOUND. */
async function managedInvitation(ctx: Context, id: string): Promise<{ organizationId: string }> {
  const invitation = await ctx.services.prisma.invitation.findUnique({ where: { id }, select: { organizationId: true, role: true, status: true } });
  if (!invitation) notFound();
  // Not a member there: the same answer as an unknown id (not roleIn's "Organization not found.").
  const myRole = (await ctx.viewerRoles()).get(invitation.organizationId);
  if (!myRole) notFound();
  if (!hasAtLeast(myRole, 'ADMIN')) fail('FORBIDDEN', { message: 'Only an owner or an admin can revoke invitations.' });
  if (invitation.status !== 'PENDING') notFound();
  if (invitation.role === 'OWNER' && myRole !== 'OWNER') fail('FORBIDDEN', { message: 'Only an owner can revoke an owner invitation.' });
  return invitation;
}

builder.mutationField('revokeInvitation', (t) =>
  t.prismaField({
    type: 'Invitation',
    description: "Revokes a pending invitation (OWNER or ADMIN of its organisation; only an OWNER revokes an OWNER invitation). Another organisation's, or one already answered: NOT_FOUND.",
    args: { id: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (query, _root, args, ctx) => {
      const auth = ctx.auth();
      const id = checkedId(args.id);
      const { organizationId } = await managedInvitation(ctx, id);
      const { prisma, clock } = ctx.services;
      await prisma.$transaction(async (tx) => {
        const revoked = await tx.invitation.updateManyAndReturn({ where: { id, status: 'PENDING' }, data: { status: 'REVOKED', respondedAt: clock.now() } });
        const row = revoked[0];
        if (!row) notFound();
        await audit(tx, { type: AUDIT.INVITATION_REVOKED, ...byCaller(auth, ctx.client), organizationId, details: { invitationId: id, email: row.email, role: row.role } });
      });
      return prisma.invitation.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
