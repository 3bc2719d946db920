import { randomBytes } from 'node:crypto';
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { REVOKE_REASON, UPDATE_REASON } from '../sessions/revoke-reasons.js';
import type { Context } from '../graphql/context.js';
import { isUniqueViolation } from '../db/driver-errors.js';
import { fail } from '../graphql/errors.js';
import type { AuthState } from '../sessions/types.js';
import type { Membership } from '../generated/prisma/client.js';
import type { Role } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { RoleEnum } from './scalars.js';
import type { AuthScopes } from './scopes.js';
import { roleIn } from './scopes.js';
import * as valid from './validate.js';
import { enqueueEvent, enqueueSessionsUpdated } from '../webhooks/events.js';

/**
 * The scope of the fields that manage members: OWNER and ADMIN, after a recent authentication (an
 * ADMIN never grants, changes or removes an OWNER: the resolvers check that against the target).
 */
export function manages(organizationId: string | number): Pick<AuthScopes, 'organizationRole'> {
  return { organizationRole: { organizationId: String(organizationId), min: 'ADMIN', refusal: 'Only an owner or an admin can manage members.', recent: true } };
}

function slugify(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return base || 'org';
}

const SLUG_ATTEMPTS = 5;

/**
 * Runs `create` with a slug for `name`: the name's own when free, else with a random suffix.
 * Looking first is not enough: concurrent creations (PostgreSQL runs them side by side) all find
 * the slug free, and all but one hit the unique index; those retry with a new suffix. `create`
 * may be a whole transaction: it is run again from its start.
 */
export async function withUniqueSlug<T>(ctx: Pick<Context, 'services'>, name: string, create: (slug: string) => Promise<T>): Promise<T> {
  const base = slugify(name);
  const taken = await ctx.services.prisma.organization.findUnique({ where: { slug: base }, select: { id: true } });
  for (let attempt = taken ? 1 : 0; ; attempt++) {
    // 24 random bits; the last attempt 64, which no race repeats.
    const slug = attempt === 0 ? base : `${base}-${randomBytes(attempt < SLUG_ATTEMPTS ? 3 : 8).toString('hex')}`;
    try {
      return await create(slug);
    } catch (err) {
      if (attempt >= SLUG_ATTEMPTS || !isUniqueViolation(err, 'Organization', ['slug'])) throw err;
    }
  }
}

export const OrganizationType = builder.prismaObject('Organization', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    members: t.prismaField({
      type: ['Membership'],
      description: 'Visible to members of this organisation only (anyone else: NOT_FOUND, as for every other tenant object).',
      resolve: async (query, org, _args, ctx) => {
        await roleIn(ctx, org.id);
        return ctx.services.prisma.membership.findMany({ ...query, where: { organizationId: org.id }, orderBy: { createdAt: 'asc' } });
      },
    }),
  }),
});

builder.prismaObject('Membership', {
  fields: (t) => ({
    id: t.exposeID('id'),
    user: t.relation('user'),
    organization: t.relation('organization'),
    role: t.expose('role', { type: RoleEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', {
  fields: (t) => ({ name: t.string({ required: true }) }),
});

const UpdateMemberRoleInput = builder.inputType('UpdateMemberRoleInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    userId: t.id({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

const RemoveMemberInput = builder.inputType('RemoveMemberInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    userId: t.id({ required: true }),
  }),
});

builder.mutationField('createOrganization', (t) =>
  t.prismaField({
    type: 'Organization',
    description: 'Creates an organisation with the caller as OWNER.',
    args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
    authScopes: { signedIn: true },
    resolve: async (query, _root, { input }, ctx) => {
      const auth = ctx.auth();
      const name = valid.text('name', input.name, 100, 'Organization name');
      const org = await withUniqueSlug(ctx, name, (slug) =>
        ctx.services.prisma.organization.create({ ...query, data: { name, slug, memberships: { create: { userId: auth.userId, role: 'OWNER' } } } }),
      );
      await audit(ctx.services.prisma, { type: AUDIT.ORGANIZATION_CREATED, ...byCaller(auth, ctx.client), organizationId: org.id });
      return org;
    },
  }),
);

type Tx = Parameters<Parameters<Context['services']['prisma']['$transaction']>[0]>[0];

interface MemberChange {
  tx: Tx;
  auth: AuthState;
  myRole: Role;
  organizationId: string;
  userId: string;
  target: Membership;
  isLastOwner: boolean;
}

/**
 * Runs a change to one membership in a transaction, after the checks every such change needs
 * (the `manages` scope has checked the caller's role and recent authentication).
 * The caller's role is read before the transaction (PGlite has one connection, which the
 * transaction holds); the organisation row is locked so that two concurrent changes cannot both
 * see a second owner and leave none.
 */
async function changeMember<T>(ctx: Context, input: { organizationId: string | number; userId: string | number }, change: (c: MemberChange) => Promise<T>): Promise<T> {
  const auth = ctx.auth();
  const organizationId = String(input.organizationId);
  const userId = String(input.userId);
  const myRole = await roleIn(ctx, organizationId);
  if (!valid.isUuid(userId)) fail('NOT_FOUND', { message: 'Member not found.' });
  return ctx.services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Organization" WHERE "id" = ${organizationId}::uuid FOR UPDATE`;
    const target = await tx.membership.findUnique({ where: { userId_organizationId: { userId, organizationId } } });
    if (!target) fail('NOT_FOUND', { message: 'Member not found.' });
    if (target.role === 'OWNER' && myRole !== 'OWNER') fail('FORBIDDEN', { message: 'Only an owner can change an owner.' });
    const owners = await tx.membership.count({ where: { organizationId, role: 'OWNER' } });
    return change({ tx, auth, myRole, organizationId, userId, target, isLastOwner: target.role === 'OWNER' && owners <= 1 });
  });
}

builder.mutationField('updateMemberRole', (t) =>
  t.prismaField({
    type: 'Membership',
    description: "Changes a member's role; the member's sessions in this organisation act on the new role at once. Needs a recent authentication.",
    args: { input: t.arg({ type: UpdateMemberRoleInput, required: true }) },
    authScopes: (_root, { input }) => manages(input.organizationId),
    resolve: async (query, _root, { input }, ctx) => {
      const updated = await changeMember(ctx, input, async ({ tx, auth, myRole, organizationId, userId, target, isLastOwner }) => {
        if (input.role === 'OWNER' && myRole !== 'OWNER') fail('FORBIDDEN', { message: 'Only an owner can grant the OWNER role.' });
        if (isLastOwner && input.role !== 'OWNER') fail('FORBIDDEN', { message: 'The last owner cannot be demoted.' });
        const membership = await tx.membership.update({ where: { id: target.id }, data: { role: input.role } });
        const now = ctx.services.clock.now();
        await enqueueEvent(tx, 'member.role_changed', organizationId, { userId, role: input.role, previousRole: target.role, actorUserId: auth.userId }, now);
        await enqueueSessionsUpdated(tx, userId, organizationId, UPDATE_REASON.ROLE_CHANGED, input.role, now);
        await audit(tx, { type: AUDIT.MEMBER_ROLE_CHANGED, ...byCaller(auth, ctx.client), organizationId, details: { memberUserId: userId, from: target.role, to: input.role } });
        return membership;
      });
      await ctx.services.sessions.notifyUpdated(String(input.userId), String(input.organizationId), UPDATE_REASON.ROLE_CHANGED);
      // Their organizationSessionEvents subscriptions are checked again at once (live/org-feed.ts).
      ctx.services.bus.publishNotice({ kind: 'member', userId: String(input.userId), organizationId: String(input.organizationId) });
      return ctx.services.prisma.membership.findUniqueOrThrow({ ...query, where: { id: updated.id } });
    },
  }),
);

builder.mutationField('removeMember', (t) =>
  t.prismaField({
    type: 'Membership',
    description: "Removes a member; the member's sessions in this organisation are revoked at once. Needs a recent authentication.",
    args: { input: t.arg({ type: RemoveMemberInput, required: true }) },
    authScopes: (_root, { input }) => manages(input.organizationId),
    resolve: async (query, _root, { input }, ctx) => {
      const removed = await changeMember(ctx, input, async ({ tx, auth, organizationId, userId, target, isLastOwner }) => {
        if (isLastOwner) fail('FORBIDDEN', { message: 'The last owner cannot be removed.' });
        const snapshot = await tx.membership.findUniqueOrThrow({ ...query, where: { id: target.id } });
        await tx.membership.delete({ where: { id: target.id } });
        await enqueueEvent(tx, 'member.removed', organizationId, { userId, role: target.role, actorUserId: auth.userId }, ctx.services.clock.now());
        await audit(tx, { type: AUDIT.MEMBER_REMOVED, ...byCaller(auth, ctx.client), organizationId, details: { memberUserId: userId, role: target.role } });
        return snapshot;
      });
      await ctx.services.sessions.revokeWhere(String(input.userId), { organizationId: String(input.organizationId), by: ctx.auth().userId }, REVOKE_REASON.MEMBER_REMOVED);
      ctx.services.bus.publishNotice({ kind: 'member', userId: String(input.userId), organizationId: String(input.organizationId) });
      return removed;
    },
  }),
);
