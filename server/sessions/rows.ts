// Session rows as revocations return them and change events carry them: the organisation and the
// user's role there joined in the same statement, never the token hashes. One statement instead
// of Prisma's `include` (bench scenario 3: mapping a 10,000-row revocation through Prisma was 8 %
// of the kick), and the role in the row spares every socket that shows the event a query of its
// own (a browser's subscription asks for it: one query per tab per event before).
import type { PrismaClient } from '../db/client.js';
import type { Organization, Role } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { SessionRow, SessionView } from './types.js';

/** A session joined with its organisation (and the role there) as one flat SQL record. */
export type JoinedSession = Omit<SessionView, 'role' | 'organization' | 'isCurrent' | 'revokedAt' | 'revokedReason'> & {
  revokedAt?: Date | null;
  revokedReason?: string | null;
  organizationName: string;
  organizationSlug: string;
  organizationCreatedAt: Date;
  organizationRequireMfa: boolean;
};

type SessionRecord = JoinedSession & {
  userId: string;
  /** Null once the membership is gone (a removed member): the API then asks the viewer's roles. */
  role: Role | null;
};

const COLUMNS = ['id', 'userId', 'organizationId', 'ipAddress', 'userAgent', 'browser', 'os', 'deviceType', 'createdAt', 'lastActiveAt', 'expiresAt', 'revokedAt', 'revokedReason'];
const RETURNED = Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(', '));
const SELECTED = Prisma.raw(COLUMNS.map((c) => `s."${c}"`).join(', '));

/** The row's columns from `from` (a table or a CTE named `s`), with organisation and role joined. */
function joined(from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT ${SELECTED}, m."role",
           o."name" AS "organizationName", o."slug" AS "organizationSlug", o."createdAt" AS "organizationCreatedAt",
           o."requireMfa" AS "organizationRequireMfa"
    FROM ${from}
    JOIN "Organization" o ON o."id" = s."organizationId"
    LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"`;
}

/** A joined record as the API shows it: list rows, revocations and change events alike. */
export function sessionView(r: JoinedSession, role: Role | undefined, isCurrent?: boolean): SessionView & { organization: Organization } {
  return {
    id: r.id,
    organizationId: r.organizationId,
    ipAddress: r.ipAddress,
    userAgent: r.userAgent,
    browser: r.browser,
    os: r.os,
    deviceType: r.deviceType,
    createdAt: r.createdAt,
    lastActiveAt: r.lastActiveAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt ?? null,
    revokedReason: r.revokedReason ?? null,
    role,
    organization: { id: r.organizationId, name: r.organizationName, slug: r.organizationSlug, createdAt: r.organizationCreatedAt, requireMfa: r.organizationRequireMfa },
    isCurrent,
  };
}

function toRow(r: SessionRecord): SessionRow {
  return { ...sessionView(r, r.role ?? undefined), userId: r.userId };
}

/** The sessions `ids`, as they are now. */
export async function readSessionRows(prisma: PrismaClient, ids: string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  const records = await prisma.$queryRaw<SessionRecord[]>`${joined(Prisma.sql`"Session" s`)} WHERE s."id" = ANY(${ids}::uuid[])`;
  return records.map(toRow);
}

/** Revokes the sessions that `where` selects in one statement (all or none); returns them revoked. */
export async function revokeSessionRows(prisma: PrismaClient, where: Prisma.Sql, now: Date, reason: string): Promise<SessionRow[]> {
  const records = await prisma.$queryRaw<SessionRecord[]>`
    WITH s AS (
      UPDATE "Session" SET "revokedAt" = ${now}, "revokedReason" = ${reason}
      WHERE ${where}
      RETURNING ${RETURNED}
    )
    ${joined(Prisma.sql`s`)}`;
  return records.map(toRow);
}

/**
 * The sessions `ids` as they are now, and, with `since`, every session of `userIds` created or
 * revoked since then: what a live instance needs to settle its sockets after it may have missed
 * changes. One statement however many sockets.
 */
export async function readSettlingRows(prisma: PrismaClient, ids: string[], userIds: string[], since: Date | null): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  const changedSince = since ? Prisma.sql`OR (s."userId" = ANY(${userIds}::uuid[]) AND (s."createdAt" >= ${since} OR s."revokedAt" >= ${since}))` : Prisma.empty;
  const records = await prisma.$queryRaw<SessionRecord[]>`${joined(Prisma.sql`"Session" s`)} WHERE s."id" = ANY(${ids}::uuid[]) ${changedSince}`;
  return records.map(toRow);
}
