import type { Context, Viewer } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import { builder } from './builder.js';
import { RoleEnum } from './scalars.js';

/** Fields that describe the signed-in user's own state answer only on the viewer's own User. */
async function requireViewer(ctx: Context, userId: string): Promise<Viewer> {
  const auth = await ctx.viewer();
  if (auth.userId !== userId) fail('FORBIDDEN');
  return auth;
}

export const UserType = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    currentOrganization: t.prismaField({
      type: 'Organization',
      description: 'The organisation the current session is bound to (viewer only).',
      resolve: async (query, user, _args, ctx) => {
        const auth = await requireViewer(ctx, user.id);
        return ctx.services.prisma.organization.findUniqueOrThrow({ ...query, where: { id: auth.organizationId } });
      },
    }),
    currentOrganizationRole: t.field({
      type: RoleEnum,
      description: "The viewer's role in the current organisation (viewer only).",
      resolve: async (user, _args, ctx) => (await requireViewer(ctx, user.id)).role,
    }),
    mfaEnabled: t.boolean({
      description: 'Whether sign-in asks for a TOTP code after the password (viewer only).',
      // Read afresh: `me` answers from the session check, which does not carry it.
      resolve: async (user, _args, ctx) => {
        await requireViewer(ctx, user.id);
        const row = await ctx.services.prisma.user.findUnique({ where: { id: user.id }, select: { totpEnabledAt: true } });
        return Boolean(row?.totpEnabledAt);
      },
    }),
    memberships: t.prismaField({
      type: ['Membership'],
      description: "Every organisation the viewer belongs to, oldest first (viewer only).",
      resolve: async (query, user, _args, ctx) => {
        await requireViewer(ctx, user.id);
        return ctx.services.prisma.membership.findMany({ ...query, where: { userId: user.id }, orderBy: { createdAt: 'asc' } });
      },
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: UserType,
    description: 'The signed-in user.',
    authScopes: { signedIn: true },
    // Answered from the session check (one cached or joined query) rather than a query of its own.
    resolve: (_root, _args, ctx) => {
      const auth = ctx.auth();
      // The password hash is not part of the session check, and no field exposes it.
      return { id: auth.userId, email: auth.email, name: auth.name, createdAt: auth.userCreatedAt, passwordHash: '', totpSecret: null, totpEnabledAt: null, totpLastStep: null };
    },
  }),
);
