// An organisation's live sessions for its OWNERs and ADMINs (ASVS 5.0 7.4.5: see, then end, the
// sessions of their organisation): a Relay connection by keyset on (lastActiveAt, id), the most
// recently active first; and Session.user, whose session it is.
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { hasAtLeast } from '../auth/roles.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { User } from '../generated/prisma/client.js';
import type { SessionUser, SessionView } from '../sessions/model.js';
import type { LiveWindow, SessionKey } from '../sessions/organization-rows.js';
import { countOrganizationLive, readOrganizationPage } from '../sessions/organization-rows.js';
import { builder } from './builder.js';
import { pageArgs } from './connection-args.js';
import type { AuthScopes } from './scopes.js';
import { SessionType } from './session.js';
import { UserType } from './user.js';
import { isUuid } from './validate.js';

/** The scope of the fields that show an organisation's trail and sessions: OWNER or ADMIN, no recent authentication. */
export function administers(organizationId: string): Pick<AuthScopes, 'organizationRole'> {
  return { organizationRole: { organizationId, min: 'ADMIN', refusal: "Only an owner or an admin can see the organisation's sessions and audit trail." } };
}

// Opaque to clients, stable for a row's place: base64url of "s1:<lastActiveAt ms>:<id>".
const CURSOR = /^s1:(\d{1,15}):([0-9a-f-]{36})$/;

export function sessionCursor(s: Pick<SessionView, 'lastActiveAt' | 'id'>): string {
  return Buffer.from(`s1:${s.lastActiveAt.getTime()}:${s.id}`).toString('base64url');
}

/** A cursor of this list as its key; anything else is BAD_USER_INPUT, named by its argument. */
export function parseSessionCursor(field: string, cursor: string): SessionKey {
  const match = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1')) : null;
  if (!match || !isUuid(match[2]!)) fail('BAD_USER_INPUT', { field, message: 'Not a cursor of this list.' });
  return { lastActiveAt: new Date(Number(match[1])), id: match[2]! };
}

function liveWindow(ctx: Context): LiveWindow {
  const now = ctx.services.clock.now();
  return { now, idleCutoff: new Date(now.getTime() - ctx.services.config.sessionIdleTimeoutMs) };
}

const EMPTY = { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };

builder.prismaObjectField('Organization', 'sessions', (t) =>
  t.connection(
    {
      type: SessionType,
      description:
        "Every live session bound to this organisation, of every member (or of `userId` only: another user's, or not an id, lists nothing), the most recently active first. OWNER or ADMIN; a MEMBER: FORBIDDEN.",
      args: { userId: t.arg.id() },
      edgesNullable: false,
      nodeNullable: false,
      authScopes: (org) => administers(org.id),
      resolve: async (org, args, ctx) => {
        const size = pageArgs(args);
        const after = args.after ? parseSessionCursor('after', args.after) : undefined;
        const before = args.before ? parseSessionCursor('before', args.before) : undefined;
        const userId = args.userId == null ? undefined : String(args.userId);
        if (userId !== undefined && !isUuid(userId)) return { ...EMPTY, totalCount: () => 0 };
        const { prisma } = ctx.services;
        // A socket's session is known without a check; a request's check is memoized.
        const currentSessionId = ctx.live?.sessionId ?? (await ctx.viewer()).sessionId;
        const window = liveWindow(ctx);
        const filter = { organizationId: org.id, userId };
        const connection = await resolveCursorConnection<Promise<SessionView[]>>({ args, ...size, toCursor: sessionCursor }, ({ limit, inverted }) =>
          readOrganizationPage(prisma, { ...filter, after, before, limit, inverted, currentSessionId }, window),
        );
        // A second statement, only when the document asks for it.
        return { ...connection, totalCount: () => countOrganizationLive(prisma, filter, window) };
      },
    },
    {
      name: 'SessionConnection',
      fields: (c) => ({ totalCount: c.int({ description: 'Live sessions the filter selects, on every page.', resolve: (conn) => conn.totalCount() }) }),
    },
    { name: 'SessionEdge' },
  ),
);

/** A User for the User type from a row's public columns: no field shows the rest. */
function asUser(u: SessionUser): User {
  return { ...u, passwordHash: '', totpSecret: null, totpEnabledAt: null, totpLastStep: null };
}

/**
 * Whose session it is, when the row does not say (rows of the viewer's own lists and events): the
 * viewer, from the session check (no query); else loaded for the viewer's own session just issued
 * or a socket's, or for an ADMIN of the session's organisation. Prisma batches the findUniques of one tick.
 */
async function ownerOfSession(session: SessionView, ctx: Context): Promise<User> {
  const { prisma } = ctx.services;
  const load = () => prisma.user.findUniqueOrThrow({ where: { id: session.userId } });
  // A socket's user is known without a check: its own REVOKED event comes after its session ended.
  // Another user's session on a socket is an organisationSessionEvents event: for that organisation's admins.
  if (ctx.live) {
    if (ctx.live.userId === session.userId) return load();
    const where = { userId_organizationId: { userId: ctx.live.userId, organizationId: session.organizationId } };
    const membership = await prisma.membership.findUnique({ where, select: { role: true } });
    if (!membership || !hasAtLeast(membership.role, 'ADMIN')) fail('NOT_FOUND', { message: 'User not found.' });
    return load();
  }
  const result = await ctx.authResult();
  if (result.ok && result.auth.userId === session.userId) {
    const { userId, email, name, userCreatedAt } = result.auth;
    return asUser({ id: userId, email, name, createdAt: userCreatedAt });
  }
  const viewer = await ctx.viewer();
  if (viewer.userId !== session.userId) {
    const role = (await ctx.viewerRoles()).get(session.organizationId);
    if (!role || !hasAtLeast(role, 'ADMIN')) fail('NOT_FOUND', { message: 'User not found.' });
  }
  return load();
}

builder.objectField(SessionType, 'user', (t) =>
  t.field({
    type: UserType,
    description: "Whose session it is: the viewer's own, or a member's in an organisation list (Organization.sessions) for its admins.",
    // The organisation's list carries its users (a synchronous read per row).
    resolve: (session, _args, ctx) => (session.user ? asUser(session.user) : ownerOfSession(session, ctx)),
  }),
);
