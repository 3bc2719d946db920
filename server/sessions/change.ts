// A session change as it crosses Redis: what another instance needs of each row (never the token
// hashes), and the checks that a message from Redis gets, since it is input like any other.
import type { SessionRow } from './types.js';
import { Role } from '../generated/prisma/enums.js';

export type SessionChangeType = 'CREATED' | 'REVOKED' | 'UPDATED';

/** One message per change, however many sessions it touches (a batch revocation is one message). */
export interface SessionChange {
  type: SessionChangeType;
  userId: string;
  sessionIds: string[];
  reason: string | null;
  /** The changed rows when the publisher has them: listeners need no query. Sent to Redis for small changes. */
  sessions?: SessionRow[];
}

export const CHANNEL = 'session-gateway:session-changes';

export interface Envelope {
  origin: string;
  change: SessionChange;
}

export function isChange(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<Envelope>;
  return typeof e.origin === 'string' && typeof e.change?.userId === 'string' && Array.isArray(e.change.sessionIds);
}

/**
 * The rows of a small change travel with it, so that other instances kick without reading them
 * again (bench scenario 5); a batch of thousands is read there instead of crossing Redis.
 */
export const MAX_WIRE_ROWS = 100;

/** What another instance needs of a row: what the API shows, never the token hashes. */
export function toWire(row: SessionRow): SessionRow {
  const { organization } = row;
  return {
    id: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    browser: row.browser,
    os: row.os,
    deviceType: row.deviceType,
    createdAt: row.createdAt,
    lastActiveAt: row.lastActiveAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
    role: row.role,
    organization: { id: organization.id, name: organization.name, slug: organization.slug, createdAt: organization.createdAt, requireMfa: organization.requireMfa },
  };
}

const ROLES = new Set<unknown>(Object.values(Role));

/** An ISO string that parses to a real instant, else null. */
function wireDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function reviveRow(r: unknown): SessionRow | null {
  if (typeof r !== 'object' || r === null) return null;
  const row = r as Record<string, unknown> & { organization?: Record<string, unknown> };
  const org = row.organization;
  if (typeof row.id !== 'string' || typeof row.userId !== 'string' || typeof row.organizationId !== 'string') return null;
  if (typeof org !== 'object' || org === null || typeof org.id !== 'string' || typeof org.name !== 'string' || typeof org.slug !== 'string' || typeof org.requireMfa !== 'boolean') return null;
  const [createdAt, lastActiveAt, expiresAt, orgCreatedAt] = [row.createdAt, row.lastActiveAt, row.expiresAt, org.createdAt].map(wireDate);
  const revokedAt = row.revokedAt === null ? null : wireDate(row.revokedAt);
  if (!createdAt || !lastActiveAt || !expiresAt || !orgCreatedAt || (row.revokedAt !== null && !revokedAt)) return null;
  // Absent when the row has none (a removed member's session): the API then asks the viewer's roles.
  if (row.role !== undefined && !ROLES.has(row.role)) return null;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    id: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    ipAddress: text(row.ipAddress),
    userAgent: text(row.userAgent),
    browser: text(row.browser),
    os: text(row.os),
    deviceType: text(row.deviceType),
    createdAt,
    lastActiveAt,
    expiresAt,
    revokedAt,
    revokedReason: text(row.revokedReason),
    role: row.role as Role | undefined,
    organization: { id: org.id, name: org.name, slug: org.slug, createdAt: orgCreatedAt, requireMfa: org.requireMfa },
  };
}

/**
 * Dates arrive as ISO strings. A message from Redis is input like any other: if one of its rows
 * does not look right, the rows are dropped and the listeners read them from the database.
 */
export function revive(change: SessionChange): SessionChange {
  const rows: unknown = change.sessions;
  if (rows === undefined) return change;
  const sessions = Array.isArray(rows) ? rows.map(reviveRow) : [null];
  return sessions.every((r) => r !== null) ? { ...change, sessions: sessions as SessionRow[] } : { ...change, sessions: undefined };
}
