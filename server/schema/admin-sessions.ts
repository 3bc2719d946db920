// Administrators end sessions in their organisation (ASVS 5.0 7.4.5): one member's, or everyone's
// but their own. Both need a recent authentication (auth/reauth.ts) and are audited.
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { REVOKE_REASON } from '../sessions/revoke-reasons.js';
import { fail } from '../graphql/errors.js';
import { builder } from './builder.js';
import { manages } from './organization.js';
import { roleIn } from './scopes.js';
import { isUuid } from './validate.js';

export const RevokeSessionsPayload = builder.objectRef<{ revokedCount: number }>('RevokeSessionsPayload').implement({
  fields: (t) => ({ revokedCount: t.exposeInt('revokedCount', { description: 'Sessions signed out.' }) }),
});

const RevokeMemberSessionsInput = builder.inputType('RevokeMemberSessionsInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    userId: t.id({ required: true }),
  }),
});

builder.mutationField('revokeMemberSessions', (t) =>
  t.field({
    type: RevokeSessionsPayload,
    description:
      "Signs a member out of this organisation: every live session of theirs bound to it (not their sessions elsewhere) is revoked at once (REVOKED_BY_ADMIN). OWNER or ADMIN; an ADMIN cannot target an OWNER. Not a member of the organisation, or the target not one: NOT_FOUND. Needs a recent authentication.",
    args: { input: t.arg({ type: RevokeMemberSessionsInput, required: true }) },
    authScopes: (_root, { input }) => manages(input.organizationId),
    resolve: async (_root, { input }, ctx) => {
      const auth = ctx.auth();
      const organizationId = String(input.organizationId);
      const userId = String(input.userId);
      const myRole = await roleIn(ctx, organizationId);
      const { prisma, sessions } = ctx.services;
      const target = isUuid(userId) ? await prisma.membership.findUnique({ where: { userId_organizationId: { userId, organizationId } }, select: { role: true } }) : null;
      if (!target) fail('NOT_FOUND', { message: 'Member not found.' });
      if (target.role === 'OWNER' && myRole !== 'OWNER') fail('FORBIDDEN', { message: 'Only an owner can sign out an owner.' });
      // The caller's own session stays even when they name themselves.
      const revoked = await sessions.revokeInOrganization(organizationId, { userId, exceptId: auth.sessionId, by: auth.userId }, REVOKE_REASON.REVOKED_BY_ADMIN);
      await audit(prisma, {
        type: AUDIT.MEMBER_SESSIONS_REVOKED,
        ...byCaller(auth, ctx.client),
        organizationId,
        details: { memberUserId: userId, memberRole: target.role, revokedCount: revoked.length },
      });
      return { revokedCount: revoked.length };
    },
  }),
);

const RevokeMemberSessionInput = builder.inputType('RevokeMemberSessionInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    sessionId: t.id({ required: true }),
  }),
});

builder.mutationField('revokeMemberSession', (t) =>
  t.field({
    type: RevokeSessionsPayload,
    description:
      "Ends one live session bound to this organisation, of any member (REVOKED_BY_ADMIN). OWNER or ADMIN; an ADMIN cannot end an OWNER's. A session not bound to this organisation, ended, or unknown: NOT_FOUND; the caller's current one: FORBIDDEN (use signOut). Needs a recent authentication.",
    args: { input: t.arg({ type: RevokeMemberSessionInput, required: true }) },
    authScopes: (_root, { input }) => manages(input.organizationId),
    resolve: async (_root, { input }, ctx) => {
      const auth = ctx.auth();
      const organizationId = String(input.organizationId);
      const sessionId = String(input.sessionId);
      const myRole = await roleIn(ctx, organizationId);
      const { prisma, sessions } = ctx.services;
      if (sessionId === auth.sessionId) fail('FORBIDDEN', { message: 'This is the current session: use signOut.' });
      const target = isUuid(sessionId) ? await prisma.session.findFirst({ where: { id: sessionId, organizationId }, select: { userId: true } }) : null;
      const membership = target ? await prisma.membership.findUnique({ where: { userId_organizationId: { userId: target.userId, organizationId } }, select: { role: true } }) : null;
      if (!target || !membership) fail('NOT_FOUND', { message: 'Session not found.' });
      if (membership.role === 'OWNER' && myRole !== 'OWNER') fail('FORBIDDEN', { message: "Only an owner can end an owner's session." });
      // The statement re-checks liveness and the organisation: a session ended meanwhile is NOT_FOUND.
      const revoked = await sessions.revokeInOrganization(organizationId, { id: sessionId, userId: target.userId, by: auth.userId }, REVOKE_REASON.REVOKED_BY_ADMIN);
      if (revoked.length === 0) fail('NOT_FOUND', { message: 'Session not found.' });
      await audit(prisma, {
        type: AUDIT.MEMBER_SESSION_REVOKED,
        ...byCaller(auth, ctx.client),
        organizationId,
        details: { memberUserId: target.userId, memberRole: membership.role, revokedSessionId: sessionId },
      });
      return { revokedCount: revoked.length };
    },
  }),
);

builder.mutationField('revokeOrganizationSessions', (t) =>
  t.field({
    type: RevokeSessionsPayload,
    description:
      "Signs everyone out of this organisation — every live session bound to it, the caller's other ones included — but the caller's current session, in one statement (REVOKED_BY_ADMIN). OWNER only; not a member: NOT_FOUND. Needs a recent authentication.",
    args: { organizationId: t.arg.id({ required: true }) },
    authScopes: (_root, args) => ({ organizationRole: { organizationId: String(args.organizationId), min: 'OWNER', refusal: 'Only an owner can sign everyone out.', recent: true } }),
    resolve: async (_root, args, ctx) => {
      const auth = ctx.auth();
      const organizationId = String(args.organizationId);
      const revoked = await ctx.services.sessions.revokeInOrganization(organizationId, { exceptId: auth.sessionId, by: auth.userId }, REVOKE_REASON.REVOKED_BY_ADMIN);
      await audit(ctx.services.prisma, {
        type: AUDIT.ORGANIZATION_SESSIONS_REVOKED,
        ...byCaller(auth, ctx.client),
        organizationId,
        details: { revokedCount: revoked.length, userCount: new Set(revoked.map((r) => r.userId)).size },
      });
      return { revokedCount: revoked.length };
    },
  }),
);
