// The session as the API and the live layer see it, written out once: the column table below is
// the SELECT and RETURNING list, the row type and the Redis wire format; the mapper from SQL
// records fails to compile until it names a new column. A new column: one line in SESSION_FIELDS,
// one in fromRecord, its field in schema/session.ts.
import type { Organization, Role, Session, User } from '../generated/prisma/client.js';
import { Role as ROLES } from '../generated/prisma/enums.js';
import { Prisma } from '../generated/prisma/client.js';

/** How a column is typed, and checked when it arrives from Redis. */
type Kind = 'string' | 'text' | 'date' | 'date?' | 'flag';
type Value<K extends Kind> = K extends 'string' ? string : K extends 'text' ? string | null : K extends 'date' ? Date : K extends 'flag' ? boolean : Date | null;

/** The columns of "Session" that the API shows: never the token hashes. */
export const SESSION_FIELDS = {
  id: 'string',
  userId: 'string',
  organizationId: 'string',
  ipAddress: 'text',
  userAgent: 'text',
  browser: 'text',
  os: 'text',
  deviceType: 'text',
  createdAt: 'date',
  lastActiveAt: 'date',
  expiresAt: 'date',
  revokedAt: 'date?',
  revokedReason: 'text',
} as const satisfies Partial<Record<keyof Session, Kind>>;

/** The organisation's columns, joined into the same statement as "organization" + Name. */
const ORGANIZATION_FIELDS = { id: 'string', name: 'string', slug: 'string', createdAt: 'date', requireMfa: 'flag' } as const satisfies Record<keyof Organization, Kind>;

export type SessionColumns = { -readonly [F in keyof typeof SESSION_FIELDS]: Value<(typeof SESSION_FIELDS)[F]> };

/**
 * A session with its organisation and the user's role there: what lists, revocations and change
 * events carry. `role` is absent once the membership is gone (a removed member's session): the
 * API then asks the viewer's roles.
 */
export type SessionRow = SessionColumns & { role?: Role; organization: Organization };

/** Whose session it is, as a list of other people's sessions carries it (an organisation's, for its admins). */
export type SessionUser = Pick<User, 'id' | 'email' | 'name' | 'createdAt'>;

/** A session as the Session type resolves it: a row, or a row of a list (which knows the current one, or whose it is). */
export type SessionView = Omit<SessionRow, 'organization'> & { organization?: Organization; isCurrent?: boolean; user?: SessionUser };

const COLUMN_NAMES = Object.keys(SESSION_FIELDS);
const ORGANIZATION_NAMES = Object.keys(ORGANIZATION_FIELDS);
const aliasOf = (column: string): string => `organization${column[0]?.toUpperCase()}${column.slice(1)}`;

/** The column list for `RETURNING` (of an UPDATE on "Session"). */
export const RETURNED_COLUMNS = Prisma.raw(COLUMN_NAMES.map((c) => `"${c}"`).join(', '));

const USER_COLUMNS = ['u."email" AS "userEmail"', 'u."name" AS "userName"', 'u."createdAt" AS "userCreatedAt"'];

/**
 * The row's columns from `from` (a table or a CTE named `s`), with organisation and role joined:
 * one statement, and the role in the row spares each socket that shows an event a query of its own.
 * `withUser`: the user's public columns too (UserRecord), for lists of other people's sessions.
 */
export function selectSessions(from: Prisma.Sql, withUser = false): Prisma.Sql {
  const columns = [...COLUMN_NAMES.map((c) => `s."${c}"`), 'm."role"', ...ORGANIZATION_NAMES.map((c) => `o."${c}" AS "${aliasOf(c)}"`), ...(withUser ? USER_COLUMNS : [])];
  return Prisma.sql`
    SELECT ${Prisma.raw(columns.join(', '))}
    FROM ${from}
    JOIN "Organization" o ON o."id" = s."organizationId"${withUser ? Prisma.sql`
    JOIN "User" u ON u."id" = s."userId"` : Prisma.empty}
    LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"`;
}

/** The user's columns of selectSessions(…, true). */
export type UserRecord = { userEmail: string; userName: string; userCreatedAt: Date };

/** One flat SQL record of selectSessions. */
export type SessionRecord = SessionColumns & {
  role: Role | null;
  organizationName: string;
  organizationSlug: string;
  organizationCreatedAt: Date;
  organizationRequireMfa: boolean;
};

/**
 * The one mapper from a record to a row, written out as a literal: every row of a list then has
 * one shape, which the compiled field resolvers read fast, and the type makes it name every
 * column of SESSION_FIELDS. `isCurrent`: known to a list (its viewer's session).
 */
export function fromRecord(r: SessionRecord, isCurrent?: boolean): SessionRow & { isCurrent?: boolean } {
  return {
    id: r.id,
    userId: r.userId,
    organizationId: r.organizationId,
    ipAddress: r.ipAddress,
    userAgent: r.userAgent,
    browser: r.browser,
    os: r.os,
    deviceType: r.deviceType,
    createdAt: r.createdAt,
    lastActiveAt: r.lastActiveAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    revokedReason: r.revokedReason,
    role: r.role ?? undefined,
    organization: { id: r.organizationId, name: r.organizationName, slug: r.organizationSlug, createdAt: r.organizationCreatedAt, requireMfa: r.organizationRequireMfa },
    isCurrent,
  };
}

/** A record of selectSessions(…, true): the row with whose session it is (and whether it is the viewer's). */
export function fromUserRecord(r: SessionRecord & UserRecord, isCurrent: boolean): SessionView {
  return { ...fromRecord(r, isCurrent), user: { id: r.userId, email: r.userEmail, name: r.userName, createdAt: r.userCreatedAt } };
}

/** What another instance gets of a row (JSON over Redis): the same fields, nothing else a caller added. */
export function toWire(row: SessionRow): SessionRow {
  const wire = {} as Record<string, unknown>;
  for (const column of COLUMN_NAMES) wire[column] = row[column as keyof SessionColumns];
  const { id, name, slug, createdAt, requireMfa } = row.organization;
  return { ...(wire as SessionColumns), role: row.role, organization: { id, name, slug, createdAt, requireMfa } };
}

const ROLE_VALUES = new Set<unknown>(Object.values(ROLES));

/** The value if it has the kind's type (a date: an ISO string that parses), else undefined. */
function wireValue(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'text':
      return typeof value === 'string' ? value : null;
    case 'flag':
      return typeof value === 'boolean' ? value : undefined;
    case 'date?':
      if (value === null) return null;
    // falls through: a present value must be a date
    case 'date': {
      const date = typeof value === 'string' ? new Date(value) : null;
      return date && !Number.isNaN(date.getTime()) ? date : undefined;
    }
  }
}

function revived(fields: Record<string, Kind>, from: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(fields)) {
    const value = wireValue(kind, from[name]);
    if (value === undefined) return null;
    out[name] = value;
  }
  return out;
}

/** A row from Redis is input like any other: null unless every field has its type. */
export function fromWire(value: unknown): SessionRow | null {
  if (typeof value !== 'object' || value === null) return null;
  const row = value as Record<string, unknown>;
  const session = revived(SESSION_FIELDS, row);
  const org = typeof row.organization === 'object' && row.organization !== null ? revived(ORGANIZATION_FIELDS, row.organization as Record<string, unknown>) : null;
  if (!session || !org) return null;
  if (row.role !== undefined && !ROLE_VALUES.has(row.role)) return null;
  return { ...(session as SessionColumns), role: row.role as Role | undefined, organization: org as unknown as Organization };
}
