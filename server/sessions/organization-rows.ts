// An organisation's live sessions, for its administrators: one page by keyset on (lastActiveAt,
// id), the most recently active first, each row with whose session it is; and their count. One
// statement each, with the same liveness rule as the user's own list (rows.ts liveCondition).
import type { PrismaClient } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { SessionRecord, SessionView, UserRecord } from './model.js';
import { fromUserRecord, selectSessions } from './model.js';
import { liveCondition } from './rows.js';

/** A row's place in the list's order. */
export interface SessionKey {
  lastActiveAt: Date;
  id: string;
}

/** The moment the rows are live at, and the last activity an idle session may have had. */
export interface LiveWindow {
  now: Date;
  idleCutoff: Date;
}

export interface OrganizationFilter {
  organizationId: string;
  /** One member's sessions only. */
  userId?: string;
}

export interface OrganizationPage extends OrganizationFilter {
  /** Rows after this one in the list's order (less recently active). */
  after?: SessionKey;
  /** Rows before this one (more recently active). */
  before?: SessionKey;
  limit: number;
  /** Read from the newest end backwards (last/before): the caller reverses the rows. */
  inverted: boolean;
  /** The viewer's session, marked isCurrent. */
  currentSessionId: string;
}

const fromTable = selectSessions(Prisma.sql`"Session" s`, true);

function filterOf(filter: OrganizationFilter, window: LiveWindow): Prisma.Sql[] {
  return [
    Prisma.sql`s."organizationId" = ${filter.organizationId}::uuid`,
    liveCondition(window.now, window.idleCutoff),
    ...(filter.userId ? [Prisma.sql`s."userId" = ${filter.userId}::uuid`] : []),
  ];
}

/** One page of the organisation's live sessions, with their users, in one statement. */
export async function readOrganizationPage(prisma: PrismaClient, page: OrganizationPage, window: LiveWindow): Promise<SessionView[]> {
  const where = filterOf(page, window);
  // Row comparisons: the (lastActiveAt, id) order is total, so a page starts exactly where the last one ended.
  if (page.after) where.push(Prisma.sql`(s."lastActiveAt", s."id") < (${page.after.lastActiveAt}::timestamp, ${page.after.id}::uuid)`);
  if (page.before) where.push(Prisma.sql`(s."lastActiveAt", s."id") > (${page.before.lastActiveAt}::timestamp, ${page.before.id}::uuid)`);
  const direction = Prisma.raw(page.inverted ? 'ASC' : 'DESC');
  const records = await prisma.$queryRaw<(SessionRecord & UserRecord)[]>`${fromTable}
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY s."lastActiveAt" ${direction}, s."id" ${direction}
    LIMIT ${page.limit}`;
  return records.map((r) => fromUserRecord(r, r.id === page.currentSessionId));
}

/** How many live sessions the filter selects, in one statement. */
export async function countOrganizationLive(prisma: PrismaClient, filter: OrganizationFilter, window: LiveWindow): Promise<number> {
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM "Session" s
    JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"
    WHERE ${Prisma.join(filterOf(filter, window), ' AND ')}`;
  return row?.count ?? 0;
}
