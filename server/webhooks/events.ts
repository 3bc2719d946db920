// The events and the outbox writes. Each write is a fragment of the statement (or a statement in
// the transaction) that makes the change, so the change and its deliveries commit together or not
// at all. With no endpoint for the event, the INSERT … SELECT selects nothing: the cost is one
// look-up in an empty (or small) indexed table.
import type { PrismaClient } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';

export const WEBHOOK_EVENTS = [
  'session.created',
  'session.revoked',
  'session.updated',
  'member.invited',
  'member.joined',
  'member.removed',
  'member.role_changed',
  'user.credential_changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

type Db = { $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number> };

/** ISO 8601 in UTC, as JSON.stringify writes a Date (the columns are UTC timestamps). */
function iso(column: string): Prisma.Sql {
  return Prisma.raw(`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** The endpoints that take `type` for the organisation in `orgColumn`: its own and the operator's. */
function endpointsFor(type: WebhookEvent, orgColumn: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`"WebhookEndpoint" e ON (e."organizationId" = ${orgColumn} OR e."organizationId" IS NULL) AND ${type} = ANY(e."events")`;
}

/**
 * The session fields the API shows (never a token or its hash), from rows `s` of "Session" or of
 * a CTE with its columns.
 */
function sessionData(extra: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`jsonb_build_object(
    'sessionId', s."id", 'userId', s."userId", 'organizationId', s."organizationId",
    'ipAddress', s."ipAddress", 'userAgent', s."userAgent", 'browser', s."browser", 'os', s."os", 'device', s."deviceType",
    'createdAt', ${iso('s."createdAt"')}, 'expiresAt', ${iso('s."expiresAt"')}, 'revokedAt', ${iso('s."revokedAt"')}
  ) || ${extra}`;
}

/**
 * INSERT … SELECT of one delivery per (session in `from`, endpoint taking `type`): `from` is a
 * table expression whose rows are aliased `s` (a CTE of UPDATE … RETURNING, or "Session" s WHERE …).
 */
export function sessionDeliveries(type: WebhookEvent, from: Prisma.Sql, now: Date, extra: Prisma.InputJsonObject): Prisma.Sql {
  const payload = Prisma.sql`jsonb_build_object('type', ${type}::text, 'timestamp', ${now.toISOString()}::text, 'data', ${sessionData(Prisma.sql`${JSON.stringify(extra)}::jsonb`)})`;
  return Prisma.sql`
    INSERT INTO "WebhookDelivery" ("id", "endpointId", "organizationId", "type", "payload", "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid(), e."id", s."organizationId", ${type}, ${payload}, ${now}, ${now}
    FROM ${from} JOIN ${endpointsFor(type, Prisma.sql`s."organizationId"`)}`;
}

/** Deliveries of one organisation-level event (a member change), inside the change's transaction. */
export async function enqueueEvent(db: Db, type: WebhookEvent, organizationId: string, data: Prisma.InputJsonObject, now: Date): Promise<void> {
  const payload = JSON.stringify({ type, timestamp: now.toISOString(), data: { organizationId, ...data } });
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "WebhookDelivery" ("id", "endpointId", "organizationId", "type", "payload", "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid(), e."id", ${organizationId}::uuid, ${type}, ${payload}::jsonb, ${now}, ${now}
    FROM (SELECT ${organizationId}::uuid AS org) o JOIN ${endpointsFor(type, Prisma.sql`o.org`)}`);
}

/** session.created for the session `id`, in the transaction that creates it. */
export function enqueueSessionCreated(db: Db, sessionId: string, now: Date): Prisma.PrismaPromise<number> {
  return db.$executeRaw(sessionDeliveries('session.created', Prisma.sql`(SELECT * FROM "Session" WHERE "id" = ${sessionId}::uuid) s`, now, {}));
}

/**
 * A new session's insert with its session.created deliveries, in one transaction, always: the gate
 * (gate.ts) is not consulted here, since another instance's new endpoint may not be known yet, and
 * a sign-in's transaction costs little next to its password hash.
 */
export async function insertWithCreatedDeliveries<T>(prisma: PrismaClient, insert: Prisma.PrismaPromise<T>, sessionId: string, now: Date): Promise<T> {
  const [row] = await prisma.$transaction([insert, enqueueSessionCreated(prisma, sessionId, now)]);
  return row;
}

/**
 * user.credential_changed (CAEP credential-change) for each organisation the user belongs to, in
 * the transaction that changes the password: `change` is PASSWORD_CHANGED or PASSWORD_RESET.
 */
export async function enqueueCredentialChanged(db: Db, userId: string, change: string, now: Date): Promise<void> {
  const type: WebhookEvent = 'user.credential_changed';
  const payload = Prisma.sql`jsonb_build_object('type', ${type}::text, 'timestamp', ${now.toISOString()}::text, 'data', jsonb_build_object('userId', m."userId", 'organizationId', m."organizationId", 'change', ${change}::text, 'credentialType', 'password'))`;
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "WebhookDelivery" ("id", "endpointId", "organizationId", "type", "payload", "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid(), e."id", m."organizationId", ${type}, ${payload}, ${now}, ${now}
    FROM "Membership" m JOIN ${endpointsFor(type, Prisma.sql`m."organizationId"`)}
    WHERE m."userId" = ${userId}::uuid`);
}

/** session.updated for a user's live sessions in one organisation (a role change), in its transaction. */
export async function enqueueSessionsUpdated(db: Db, userId: string, organizationId: string, reason: string, role: string, now: Date): Promise<void> {
  const live = Prisma.sql`(SELECT * FROM "Session" WHERE "userId" = ${userId}::uuid AND "organizationId" = ${organizationId}::uuid AND "revokedAt" IS NULL AND "expiresAt" > ${now}) s`;
  await db.$executeRaw(sessionDeliveries('session.updated', live, now, { reason, role }));
}

/** Reasons a user's own action causes: the actor is that user. The others name theirs (or none: the system). */
const SELF_INITIATED = new Set(['SIGNED_OUT', 'REVOKED_BY_USER', 'REVOKED_OTHER_SESSIONS', 'ORGANIZATION_SWITCHED', 'PASSWORD_CHANGED', 'MFA_CHANGED', 'PASSWORD_RESET', 'ACCOUNT_DELETED']);

export function actorOf(reason: string, userId: string): string | null {
  return SELF_INITIATED.has(reason) ? userId : null;
}
