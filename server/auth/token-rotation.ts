// Token rotation with reuse detection over the whole chain (RFC 9700 §4.14.2, applied to the
// session token): every superseded token is kept as a hash in `SupersededToken`. Presented within
// the grace window it is a request in flight; presented later it proves a copy, and the session
// ends. A successor is derived from its predecessor (tokens.ts `successorToken`), so requests
// racing one rotation all end up with the same new token instead of tripping each other.
import type { PrismaClient } from '../db/client.js';
import { hashToken, newRotationNonce, newToken, successorToken } from './tokens.js';

/** How far a superseded token may be followed to the current one (rotations within one grace window). */
const MAX_CHAIN = 4;

/**
 * The nonce of a token ended on purpose (a password change, ASVS 5.0 7.2.4): refused at once, with
 * no grace window, and no proof of theft either, since its holder may be a request in flight.
 */
export const ENDED = '!';

export interface Superseded {
  supersededAt: Date;
  successorNonce: string;
}

/**
 * Replaces the session's token `held` (its current one) by its successor, in one statement that
 * also records `held` as superseded. Of racing rotations exactly one wins; the others are given
 * the winner's token. Without a held token (a socket, a password change), a random token, which
 * no superseded token leads to, replaces the current one.
 */
export async function rotateToken(prisma: PrismaClient, sessionId: string, held: string | undefined, now: Date, ended = false): Promise<string | undefined> {
  const nonce = ended ? ENDED : held === undefined ? '' : newRotationNonce();
  const next = held === undefined ? newToken() : successorToken(held, nonce);
  const heldHash = held === undefined ? null : hashToken(held);
  // The outer SELECT reads the snapshot from before the UPDATE: s."tokenHash" is the replaced hash.
  const count = await prisma.$executeRaw`
    WITH rotated AS (
      UPDATE "Session" SET "tokenHash" = ${hashToken(next)}, "tokenRotatedAt" = ${now}
      WHERE "id" = ${sessionId}::uuid AND "revokedAt" IS NULL AND (${heldHash}::text IS NULL OR "tokenHash" = ${heldHash}::text)
      RETURNING "id"
    )
    INSERT INTO "SupersededToken" ("tokenHash", "sessionId", "supersededAt", "successorNonce")
    SELECT s."tokenHash", r."id", ${now}, ${nonce} FROM rotated r JOIN "Session" s ON s."id" = r."id"`;
  if (count === 1) return next;
  return held === undefined ? undefined : currentToken(prisma, sessionId, held);
}

/**
 * The session's current token, reached from a superseded `held` one by following the chain of
 * successors; undefined when the chain leads elsewhere (another rotation without a held token).
 */
export async function currentToken(prisma: PrismaClient, sessionId: string, held: string): Promise<string | undefined> {
  let token = held;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const rows = await prisma.$queryRaw<{ successorNonce: string; current: string }[]>`
      SELECT t."successorNonce", s."tokenHash" AS "current"
      FROM "SupersededToken" t JOIN "Session" s ON s."id" = t."sessionId"
      WHERE t."tokenHash" = ${hashToken(token)} AND t."sessionId" = ${sessionId}::uuid`;
    const row = rows[0];
    if (!row || row.successorNonce === '' || row.successorNonce === ENDED) return undefined;
    token = successorToken(token, row.successorNonce);
    if (hashToken(token) === row.current) return token;
  }
  return undefined;
}
