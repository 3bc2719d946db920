// An organisation's MFA requirement (ASVS 5.0 6.3.3): `Organization.requireMfa` and the OWNER's
// switch. Turning it on ends at once the sessions there of members without TOTP; the gates at
// sign-in and switch live in auth/mfa-policy.ts.
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { revokeSessionsWithoutMfa } from '../auth/mfa-policy.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { fail } from '../graphql/errors.js';
import { builder } from './builder.js';
import { roleIn } from './scopes.js';

builder.prismaObjectField('Organization', 'requireMfa', (t) =>
  t.boolean({
    description: 'Whether every member must have two-factor authentication on to sign in here. Visible to members of this organisation only.',
    resolve: async (org, _args, ctx) => {
      await roleIn(ctx, org.id).catch(() => fail('FORBIDDEN'));
      return org.requireMfa;
    },
  }),
);

builder.mutationField('setOrganizationMfaRequirement', (t) =>
  t.prismaField({
    type: 'Organization',
    description:
      "OWNER only, with TOTP on (to turn it on) and a recent authentication. Turning it on revokes the organisation's sessions of members without TOTP (reason MFA_REQUIRED); from then on they sign in through enrolment (MFA_ENROLLMENT_REQUIRED).",
    args: { organizationId: t.arg.id({ required: true }), required: t.arg.boolean({ required: true }) },
    // The role first, then the recent authentication (in the resolver).
    authScopes: (_root, args) => ({ organizationRole: { organizationId: String(args.organizationId), min: 'OWNER', refusal: 'Only an owner can change the two-factor requirement.' } }),
    resolve: async (query, _root, args, ctx) => {
      const organizationId = String(args.organizationId);
      const auth = await requireRecentAuth(ctx);
      const { prisma } = ctx.services;
      if (args.required) {
        // An owner who could not sign in under the rule would lock themselves out by making it.
        const me = await prisma.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { totpEnabledAt: true } });
        if (!me.totpEnabledAt) fail('FORBIDDEN', { message: 'Turn on two-factor authentication for your own account before requiring it of the organisation.' });
      }
      const before = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { requireMfa: true } });
      await prisma.organization.update({ where: { id: organizationId }, data: { requireMfa: args.required } });
      const revokedCount = args.required ? await revokeSessionsWithoutMfa(ctx, organizationId) : 0;
      if (before.requireMfa !== args.required) {
        await audit(prisma, {
          type: AUDIT.ORGANIZATION_MFA_REQUIREMENT_CHANGED,
          ...byCaller(auth, ctx.client),
          organizationId,
          details: { required: args.required, revokedCount },
        });
      }
      return prisma.organization.findUniqueOrThrow({ ...query, where: { id: organizationId } });
    },
  }),
);
