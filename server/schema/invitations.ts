// Invitations to an organisation (issue #14): an OWNER or ADMIN invites an e-mail address; the
// signed-in user with that address accepts (a membership with the invited role) or declines.
// inviteMember never looks the address up among the users: its answer, its work and its mail are
// the same whether an account uses the address or not. Answering is in invitation-answers.ts.
import { AUDIT, audit, byCaller } from '../audit/events.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { Invitation } from '../generated/prisma/client.js';
import { invitationMail, invitationsLink } from '../mail/invitation-mail.js';
import { enqueueEvent } from '../webhooks/events.js';
import { builder } from './builder.js';
import { manages, OrganizationType } from './organization.js';
import { RoleEnum } from './scalars.js';
import { roleIn } from './scopes.js';
import * as valid from './validate.js';

export const INVITATION_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED', 'EXPIRED'] as const;
type Status = (typeof INVITATION_STATUSES)[number];

export const InvitationStatusEnum = builder.enumType('InvitationStatus', {
  description: 'EXPIRED: still pending when its expiresAt passed.',
  values: INVITATION_STATUSES,
});

/** The status as shown: a pending invitation past its expiry is EXPIRED. */
export function statusOf(invitation: Pick<Invitation, 'status' | 'expiresAt'>, now: Date): Status {
  return invitation.status === 'PENDING' && invitation.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : invitation.status;
}

/** The rows an invitee may answer: pending, unexpired, addressed to them. */
export function answerable(ctx: Context, id: string): { id: string; email: string; status: 'PENDING'; expiresAt: { gt: Date } } {
  return { id, email: ctx.auth().email, status: 'PENDING', expiresAt: { gt: ctx.services.clock.now() } };
}

export const InvitationType = builder.prismaObject('Invitation', {
  description: 'An invitation to join an organisation, seen by its OWNERs and ADMINs and by the user with the invited e-mail address.',
  fields: (t) => ({
    id: t.exposeID('id'),
    organization: t.relation('organization'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
    invitedBy: t.relation('invitedBy', { nullable: true, description: 'Null once that account is deleted.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    respondedAt: t.expose('respondedAt', { type: 'DateTime', nullable: true }),
    status: t.field({ type: InvitationStatusEnum, select: { status: true, expiresAt: true }, resolve: (inv, _args, ctx) => statusOf(inv, ctx.services.clock.now()) }),
  }),
});

builder.prismaObjectField(OrganizationType, 'invitations', (t) =>
  t.prismaField({
    type: ['Invitation'],
    description: 'Pending, unexpired invitations, newest first (OWNER or ADMIN; a MEMBER is FORBIDDEN).',
    authScopes: (org) => ({ organizationRole: { organizationId: org.id, min: 'ADMIN', refusal: 'Only an owner or an admin can see invitations.' } }),
    resolve: (query, org, _args, ctx) =>
      ctx.services.prisma.invitation.findMany({ ...query, where: { organizationId: org.id, status: 'PENDING', expiresAt: { gt: ctx.services.clock.now() } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
);

builder.prismaObjectField('User', 'invitations', (t) =>
  t.prismaField({
    type: ['Invitation'],
    description: "Pending, unexpired invitations addressed to the viewer's e-mail address, newest first (viewer only).",
    resolve: async (query, user, _args, ctx) => {
      const viewer = await ctx.requireAuth();
      if (viewer.userId !== user.id) fail('FORBIDDEN');
      return ctx.services.prisma.invitation.findMany({ ...query, where: { email: viewer.email, status: 'PENDING', expiresAt: { gt: ctx.services.clock.now() } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    },
  }),
);

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    email: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

const ALREADY_MEMBER = 'This address belongs to a member already.';

builder.mutationField('inviteMember', (t) =>
  t.prismaField({
    type: 'Invitation',
    description:
      'Invites an e-mail address (with or without an account: the answer is the same) to join with `role`, for INVITATION_TTL_SECONDS (7 days), and mails it a link to the web app. OWNER or ADMIN; only an OWNER invites an OWNER. A pending invitation of the same address is renewed (new role, inviter and expiry; same id). A member already: CONFLICT. Needs a recent authentication.',
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    authScopes: (_root, { input }) => manages(input.organizationId),
    resolve: async (query, _root, { input }, ctx) => {
      const auth = ctx.auth();
      const organizationId = String(input.organizationId);
      const myRole = await roleIn(ctx, organizationId);
      const onlyOwner = () => fail('FORBIDDEN', { message: 'Only an owner can invite an owner.' });
      if (input.role === 'OWNER' && myRole !== 'OWNER') onlyOwner();
      const email = valid.email('email', input.email);
      const { prisma, clock, config } = ctx.services;
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + config.invitationTtlMs);
      const { invitation, organizationName } = await prisma.$transaction(async (tx) => {
        // The organisation's row lock orders concurrent invitations of one address: one row, renewed.
        const [org] = await tx.$queryRaw<{ name: string }[]>`SELECT "name" FROM "Organization" WHERE "id" = ${organizationId}::uuid FOR UPDATE`;
        // Whether a member uses the address (the caller sees the members anyway); never whether an account does.
        if (await tx.membership.findFirst({ where: { organizationId, user: { email } }, select: { id: true } })) fail('CONFLICT', { field: 'email', message: ALREADY_MEMBER });
        const pending = await tx.invitation.findFirst({ where: { organizationId, email, status: 'PENDING' }, select: { id: true, role: true } });
        if (pending?.role === 'OWNER' && myRole !== 'OWNER') onlyOwner();
        const data = { role: input.role, invitedById: auth.userId, expiresAt };
        const row = pending
          ? await tx.invitation.update({ where: { id: pending.id }, data })
          : await tx.invitation.create({ data: { ...data, organizationId, email, createdAt: now } });
        await enqueueEvent(tx, 'member.invited', organizationId, { invitationId: row.id, email, role: row.role, actorUserId: auth.userId, renewed: Boolean(pending), expiresAt: expiresAt.toISOString() }, now);
        await audit(tx, { type: AUDIT.MEMBER_INVITED, ...byCaller(auth, ctx.client), organizationId, details: { invitationId: row.id, email, role: row.role, renewed: Boolean(pending) } });
        return { invitation: row, organizationName: org?.name ?? '' };
      });
      const { mail } = ctx.services;
      const ttlDays = Math.max(1, Math.round(config.invitationTtlMs / 86_400_000));
      mail.send('invitation', () => invitationMail({ to: email, organizationName, inviterName: auth.name, role: invitation.role, link: invitationsLink(mail.linkBase), ttlDays }));
      return prisma.invitation.findUniqueOrThrow({ ...query, where: { id: invitation.id } });
    },
  }),
);
