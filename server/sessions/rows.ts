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

/** A revocation that may select more rows than this runs in batches of it (revokeSessionRows). */
export const REVOKE_BATCH_ROWS = 500;
/**
 * A batched revocation's transaction. Its statements are bounded by the pool's query timeout
 * (15 s each, db/client.ts), and a connection is waited for as long as the pool waits (5 s).
 */
const BATCHED_TRANSACTION = { maxWait: 5000, timeout: 60_000 };

type Queries = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

/**
 * Revokes the sessions that `where` selects, all or none; returns them revoked. `where` must hold
 * `"revokedAt" IS NULL`. Their session.revoked webhook deliveries (webhooks/events.ts) are written
 * in the same statements: the revocation and its outbox rows commit together or neither.
 * `revokedBy`: the actor, when known. `batched`: the selection may be large (every session of a
 * user or an organisation), so it is revoked `REVOKE_BATCH_ROWS` at a time, in id order, in one
 * transaction: mapping each batch's rows takes a few milliseconds of the loop that answers HTTP,
 * where 10,000 rows in one result held it for over 100 ms. Without `batched`: one statement.
 */
export async function revokeSessionRows(prisma: PrismaClient, where: Prisma.Sql, now: Date, reason: string, revokedBy: string | null = null, batched = false): Promise<SessionRow[]> {
  if (!batched) return revokeStatement(prisma, prisma, where, now, reason, revokedBy, []);
  return prisma.$transaction(async (tx) => {
    const all: SessionRow[] = [];
    for (;;) {
      // After the last id revoked: the next batch neither scans nor locks the earlier ones again.
      const after = all.at(-1)?.id;
      const next = after ? Prisma.sql`${where} AND "id" > ${after}::uuid` : where;
      const batch = Prisma.sql`"id" IN (SELECT "id" FROM "Session" WHERE ${next} ORDER BY "id" LIMIT ${REVOKE_BATCH_ROWS} FOR UPDATE)`;
      const rows = await revokeStatement(tx, prisma, batch, now, reason, revokedBy, all);
      for (const row of rows) all.push(row);
      if (rows.length < REVOKE_BATCH_ROWS) return all;
    }
  }, BATCHED_TRANSACTION);
}

/**
 * One statement. While this instance believes no endpoint exists (webhooks/gate.ts, keyed by the
 * client `gateOf`) it has no outbox CTE, only a look at whether an endpoint exists now (one index
 * probe, evaluated once): one created meanwhile through another instance opens the gate, and the
 * deliveries of these sessions and of `earlier` (the transaction's batches before this one) are
 * written at once by a second statement.
 */
async function revokeStatement(db: Queries, gateOf: PrismaClient, where: Prisma.Sql, now: Date, reason: string, revokedBy: string | null, earlier: SessionRow[]): Promise<SessionRow[]> {
  const gate = outboxGate(gateOf);
  const update = Prisma.sql`
    WITH s AS (
      UPDATE "Session" SET "revokedAt" = ${now}, "revokedReason" = ${reason}
      WHERE ${where}
      RETURNING ${RETURNED_COLUMNS}
    )`;
  if (gate.possible) {
    const records = await db.$queryRaw<SessionRecord[]>`${update}, w AS (${sessionDeliveries('session.revoked', Prisma.sql`s`, now, { reason, revokedBy })})
    ${selectSessions(Prisma.sql`s`)}`;
    return records.map((r) => fromRecord(r));
  }
  const records = await db.$queryRaw<(SessionRecord & { anyEndpoint: boolean })[]>`${update}
    SELECT r.*, EXISTS (SELECT 1 FROM "WebhookEndpoint") AS "anyEndpoint" FROM (${selectSessions(Prisma.sql`s`)}) r`;
  if (records[0]?.anyEndpoint) {
    openGate(gateOf);
    const ids = [...earlier.map((r) => r.id), ...records.map((r) => r.id)];
    await db.$executeRaw(sessionDeliveries('session.revoked', Prisma.sql`(SELECT * FROM "Session" WHERE "id" = ANY(${ids}::uuid[])) s`, now, { reason, revokedBy }));
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
