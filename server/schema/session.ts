import { locate } from '../sessions/location.js';
import type { SessionView } from '../sessions/model.js';
import { isRevokeReason, REVOKE_REASON } from '../sessions/revoke-reasons.js';
import type { Context } from '../graphql/context.js';
import type { Organization } from '../generated/prisma/client.js';
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { fail } from '../graphql/errors.js';
import { builder } from './builder.js';
import { RevokeReasonEnum } from './codes.js';
import { OrganizationType } from './organization.js';
import { RoleEnum } from './scalars.js';
import { isUuid } from './validate.js';

/** Rows from lists and change events carry their organisation; anything else loads it. */
function organizationOf(session: SessionView, _args: object, ctx: Context): Organization | Promise<Organization> {
  return session.organization ?? ctx.services.prisma.organization.findUniqueOrThrow({ where: { id: session.organizationId } });
}

// A plain object type, not a Prisma one: its rows come from one SQL statement (see listLive), and
// every field is a synchronous read where the row has what it needs: a long list resolves without
// a promise per field.
export const SessionType = builder.objectRef<SessionView>('Session').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    organization: t.field({ type: OrganizationType, resolve: organizationOf }),
    role: t.field({
      type: RoleEnum,
      description: "The user's role in the organisation this session is bound to.",
      // List rows and change events carry it (a synchronous read per row); anything else asks the viewer's roles.
      resolve: (session, _args, ctx) => session.role ?? ctx.viewerRoles().then((r) => r.get(session.organizationId) ?? fail('NOT_FOUND')),
    }),
    ipAddress: t.exposeString('ipAddress', { nullable: true }),
    location: t.string({
      nullable: true,
      description: 'City and country of the IP address (DB-IP Lite); "Local network" for private addresses.',
      resolve: (session) => locate(session.ipAddress),
    }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    browser: t.exposeString('browser', { nullable: true }),
    os: t.exposeString('os', { nullable: true }),
    device: t.exposeString('deviceType', { nullable: true, description: 'desktop, mobile, tablet, … or unknown.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastActiveAt: t.expose('lastActiveAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    revokedReason: t.field({
      type: RevokeReasonEnum,
      nullable: true,
      description: 'Why the session ended; null while it is live.',
      resolve: (session) => (isRevokeReason(session.revokedReason) ? session.revokedReason : null),
    }),
    isCurrent: t.boolean({
      resolve: (session, _args, ctx) => session.isCurrent ?? ctx.isCurrentSession(session.id),
    }),
  }),
});

const RevokeOtherSessionsPayload = builder.objectRef<{ revokedCount: number }>('RevokeOtherSessionsPayload').implement({
  fields: (t) => ({ revokedCount: t.exposeInt('revokedCount') }),
});

builder.queryField('sessions', (t) =>
  t.field({
    type: [SessionType],
    description: "Every live session of the signed-in user across organisations: the current one first, then the most recently active.",
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => {
      const auth = ctx.auth();
      return ctx.services.sessions.listLive(auth.userId, auth.sessionId);
    },
  }),
);

builder.mutationField('revokeSession', (t) =>
  t.field({
    type: SessionType,
    description: "Revokes one of the user's other sessions. Unknown, foreign, revoked or expired: NOT_FOUND alike. Needs a recent authentication.",
    args: { id: t.arg.id({ required: true }) },
    authScopes: { recentAuth: true },
    resolve: async (_root, args, ctx) => {
      const auth = ctx.auth();
      const id = String(args.id);
      if (id === auth.sessionId) fail('FORBIDDEN', { message: 'This is the current session: use signOut.' });
      const revoked = isUuid(id) ? await ctx.services.sessions.revokeWhere(auth.userId, { ids: [id] }, REVOKE_REASON.REVOKED_BY_USER) : [];
      if (revoked.length === 0) fail('NOT_FOUND', { message: 'Session not found.' });
      await audit(ctx.services.prisma, {
        type: AUDIT.SESSION_REVOKED,
        ...byCaller(auth, ctx.client),
        details: { revokedSessionId: id, by: 'USER' },
      });
      return revoked[0] as SessionView;
    },
  }),
);

builder.mutationField('revokeOtherSessions', (t) =>
  t.field({
    type: RevokeOtherSessionsPayload,
    description: "Revokes every session of the user but the current one, in every organisation, in one statement. Needs a recent authentication.",
    authScopes: { recentAuth: true },
    resolve: async (_root, _args, ctx) => {
      const auth = ctx.auth();
      const { length: count } = await ctx.services.sessions.revokeWhere(auth.userId, { exceptId: auth.sessionId }, REVOKE_REASON.REVOKED_OTHER_SESSIONS);
      await audit(ctx.services.prisma, {
        type: AUDIT.OTHER_SESSIONS_REVOKED,
        ...byCaller(auth, ctx.client),
        details: { count },
      });
      return { revokedCount: count };
    },
  }),
);
