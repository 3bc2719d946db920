// The worker's statements on the outbox: claim due deliveries (FOR UPDATE SKIP LOCKED, so that
// instances sharing the table never take the same row at once), record an attempt.
import type { PrismaClient } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';

export interface Claimed {
  id: string;
  endpointId: string;
  /** The payload as stored, sent and signed byte for byte. */
  body: string;
  attemptCount: number;
  url: string;
  secret: string;
  endpointOrganizationId: string | null;
  format: 'STANDARD_WEBHOOKS' | 'CAEP';
}

/**
 * Takes up to `limit` due deliveries and leases them until `leaseUntil` (their nextAttemptAt moves
 * there, and their attempt is counted): another instance skips them while locked and finds them not
 * due after. A lease that runs out (the instance died mid-attempt) makes the row due again: at least once.
 * At most `perEndpoint` per endpoint minus what `inFlight` says this instance already has there.
 * The locked row's own conditions are repeated in `due`: PostgreSQL checks them again on the row's
 * latest version when it locks it, so a row another instance has just leased is not taken twice.
 */
export function claimDue(prisma: PrismaClient, now: Date, leaseUntil: Date, limit: number, perEndpoint: number, inFlight: Map<string, number>): Promise<Claimed[]> {
  const ids = [...inFlight.keys()];
  const counts = [...inFlight.values()];
  return prisma.$queryRaw<Claimed[]>`
    WITH candidates AS (
      SELECT d."id", d."endpointId", row_number() OVER (PARTITION BY d."endpointId" ORDER BY d."nextAttemptAt", d."id") AS n
      FROM "WebhookDelivery" d
      WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now}
    ), due AS (
      SELECT d."id" FROM "WebhookDelivery" d
      JOIN candidates c ON c."id" = d."id"
      LEFT JOIN unnest(${ids}::uuid[], ${counts}::int[]) AS f("endpointId", "inFlight") ON f."endpointId" = c."endpointId"
      WHERE c.n <= ${perEndpoint}::int - COALESCE(f."inFlight", 0)
        AND d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now}
      ORDER BY d."nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE "WebhookDelivery" d SET "nextAttemptAt" = ${leaseUntil}, "attemptCount" = d."attemptCount" + 1
    FROM due, "WebhookEndpoint" e
    WHERE d."id" = due."id" AND e."id" = d."endpointId"
    RETURNING d."id", d."endpointId", d."payload"::text AS "body", d."attemptCount", e."url", e."secret", e."organizationId" AS "endpointOrganizationId", e."format"::text AS "format"`;
}

export interface Outcome {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  nextAttemptAt: Date | null;
}

/** The attempt and the delivery's new state, in one statement. */
export async function recordAttempt(prisma: PrismaClient, deliveryId: string, o: Outcome): Promise<void> {
  const finishedAt = o.status === 'PENDING' ? null : o.at;
  await prisma.$executeRaw(Prisma.sql`
    WITH a AS (
      INSERT INTO "WebhookAttempt" ("id", "deliveryId", "at", "statusCode", "error", "durationMs", "nextAttemptAt")
      VALUES (gen_random_uuid(), ${deliveryId}::uuid, ${o.at}, ${o.statusCode}, ${o.error}, ${o.durationMs}, ${o.nextAttemptAt})
    )
    UPDATE "WebhookDelivery" SET "status" = ${o.status}, "nextAttemptAt" = ${o.nextAttemptAt ?? o.at}, "finishedAt" = ${finishedAt}
    WHERE "id" = ${deliveryId}::uuid`);
}
