// An organisation's audit trail for its OWNERs and ADMINs (ASVS 5.0 16.2.1, 16.3.1: who did what,
// to whom, from where), newest first, and its members as a connection (any member). Both are Prisma
// connections: one findMany per page with the events' actor and subject joined, a count when asked.
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DEFAULT_PAGE, MAX_PAGE, checkedIdCursor, pageArgs } from './connection-args.js';
import { administers } from './organization-sessions.js';
import { isUuid } from './validate.js';

builder.prismaObjectFields('AuditEvent', (t) => ({
  actor: t.relation('user', {
    nullable: true,
    description: 'Who did it; null for events of no signed-in user (a failed sign-in to an unknown account, a deleted account).',
  }),
  subject: t.relation('subject', {
    nullable: true,
    description: 'The member the event is about, when not the actor (added, role changed, removed, signed out); null once that account is deleted.',
  }),
}));

interface TrailFilter {
  type?: string | null;
  userId?: string | number | null;
}

/** The organisation's events, of one type, and those where a user is the actor or the subject. */
function trailWhere(organizationId: string, args: TrailFilter): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = { organizationId };
  if (args.type != null) where.type = args.type;
  if (args.userId != null) {
    const userId = String(args.userId);
    // Not an id: nobody's events, without asking the database to read one.
    if (!isUuid(userId)) return { id: { in: [] } };
    where.OR = [{ userId }, { subjectUserId: userId }];
  }
  return where;
}

builder.prismaObjectFields('Organization', (t) => ({
  auditEvents: t.prismaConnection(
    {
      type: 'AuditEvent',
      cursor: 'id',
      description:
        "This organisation's audit trail, newest first: every event recorded in it (sessions bound to it, its members' changes), of one `type`, or where `userId` is the actor or the subject. OWNER or ADMIN; a MEMBER: FORBIDDEN.",
      args: { type: t.arg.string(), userId: t.arg.id() },
      defaultSize: DEFAULT_PAGE,
      maxSize: MAX_PAGE,
      edgesNullable: false,
      nodeNullable: false,
      authScopes: (org) => administers(org.id),
      totalCount: (org, args, ctx) => ctx.services.prisma.auditEvent.count({ where: trailWhere(org.id, args) }),
      resolve: (query, org, args, ctx) => {
        pageArgs(args);
        return ctx.services.prisma.auditEvent.findMany({ ...checkedIdCursor(query, args), where: trailWhere(org.id, args), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      },
    },
    { name: 'AuditEventConnection' },
    { name: 'AuditEventEdge' },
  ),
  membersConnection: t.prismaConnection(
    {
      type: 'Membership',
      cursor: 'id',
      description: "This organisation's members, the earliest to join first. Visible to members of this organisation only (not a member: NOT_FOUND).",
      defaultSize: DEFAULT_PAGE,
      maxSize: MAX_PAGE,
      edgesNullable: false,
      nodeNullable: false,
      authScopes: (org) => ({ organizationRole: { organizationId: org.id, min: 'MEMBER', refusal: 'Only members see the members.' } }),
      totalCount: (org, _args, ctx) => ctx.services.prisma.membership.count({ where: { organizationId: org.id } }),
      resolve: (query, org, args, ctx) => {
        pageArgs(args);
        return ctx.services.prisma.membership.findMany({ ...checkedIdCursor(query, args), where: { organizationId: org.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      },
    },
    { name: 'MembershipConnection' },
    { name: 'MembershipEdge' },
  ),
}));
