// The statements that read and revoke session rows (model.ts says what a row is). One statement
// each, with the organisation and role joined, instead of Prisma's `include`: the row mapping of a
// large revocation or list is on the kick's and the list's path.
import type { PrismaClient } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { SessionRecord, SessionRow, SessionView } from './model.js';
import { RETURNED_COLUMNS, fromRecord, selectSessions } from './model.js';
import { sessionDeliveries } from '../webhooks/events.js';
import { openGate, outboxGate } from '../webhooks/gate.js';

const fromTable = selectSessions(Prisma.sql`"Session" s`);

/** The sessions `ids`, as they are now. */
export async function readSessionRows(prisma: PrismaClient, ids: string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  const records = await prisma.$queryRaw<SessionRecord[]>`${fromTable} WHERE s."id" = ANY(${ids}::uuid[])`;
  return records.map((r) => fromRecord(r));
}

/**
 * What the lists call live, on a selectSessions row: its user still a member of its organisation,
 * not revoked, not expired, not idle at `idleCutoff`.
 */
export function liveCondition(now: Date, idleCutoff: Date): Prisma.Sql {
  return Prisma.sql`m."role" IS NOT NULL AND s."revokedAt" IS NULL AND s."expiresAt" > ${now} AND s."lastActiveAt" > ${idleCutoff}`;
}

/** Live sessions of a user (liveCondition), in every organisation they still belong to, the most recently active first. */
export async function readLiveRows(prisma: PrismaClient, userId: string, now: Date, idleCutoff: Date, currentSessionId: string | null): Promise<SessionView[]> {
  const records = await prisma.$queryRaw<SessionRecord[]>`${fromTable}
    WHERE s."userId" = ${userId}::uuid AND ${liveCondition(now, idleCutoff)}
    ORDER BY s."lastActiveAt" DESC, s."id"`;
  return records.map((r) => fromRecord(r, r.id === currentSessionId));
}

/**
 * Revokes the sessions that `where` selects in one statement (all or none); returns them revoked.
 * The same statement writes their session.revoked webhook deliveries (webhooks/events.ts):
 * the revocation and its outbox rows commit together or neither. `revokedBy`: the actor, when known.
 * While this instance believes no endpoint exists (webhooks/gate.ts) the statement has no outbox
 * CTE, only a look at whether an endpoint exists now (one index probe, evaluated once): one created
 * meanwhile through another instance opens the gate, and these sessions' deliveries are written
 * at once by a second statement.
 */
export async function revokeSessionRows(prisma: PrismaClient, where: Prisma.Sql, now: Date, reason: string, revokedBy: string | null = null): Promise<SessionRow[]> {
  const gate = outboxGate(prisma);
  const open = gate.possible;
  const update = Prisma.sql`
    WITH s AS (
      UPDATE "Session" SET "revokedAt" = ${now}, "revokedReason" = ${reason}
      WHERE ${where}
      RETURNING ${RETURNED_COLUMNS}
    )`;
  if (open) {
    const records = await prisma.$queryRaw<SessionRecord[]>`${update}, w AS (${sessionDeliveries('session.revoked', Prisma.sql`s`, now, { reason, revokedBy })})
    ${selectSessions(Prisma.sql`s`)}`;
    return records.map((r) => fromRecord(r));
  }
  const records = await prisma.$queryRaw<(SessionRecord & { anyEndpoint: boolean })[]>`${update}
    SELECT r.*, EXISTS (SELECT 1 FROM "WebhookEndpoint") AS "anyEndpoint" FROM (${selectSessions(Prisma.sql`s`)}) r`;
  if (records[0]?.anyEndpoint) {
    openGate(prisma);
    const ids = records.map((r) => r.id);
    await prisma.$executeRaw(sessionDeliveries('session.revoked', Prisma.sql`(SELECT * FROM "Session" WHERE "id" = ANY(${ids}::uuid[])) s`, now, { reason, revokedBy }));
  }
  return records.map((r) => fromRecord(r));
}

/**
 * The sessions `ids` as they are now, and, with `since`, every session of `userIds` created or
 * revoked since then: what a live instance needs to settle its sockets after it may have missed
 * changes. One statement however many sockets.
 */
export async function readSettlingRows(prisma: PrismaClient, ids: string[], userIds: string[], since: Date | null): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  const changedSince = since ? Prisma.sql`OR (s."userId" = ANY(${userIds}::uuid[]) AND (s."createdAt" >= ${since} OR s."revokedAt" >= ${since}))` : Prisma.empty;
  const records = await prisma.$queryRaw<SessionRecord[]>`${fromTable} WHERE s."id" = ANY(${ids}::uuid[]) ${changedSince}`;
  return records.map((r) => fromRecord(r));
}
