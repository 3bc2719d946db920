// What checking a token reads: the session with its user and the role there, in one statement.
// Not the API's row (model.ts): this one carries the token hash and the user's own fields.
import type { PrismaClient } from '../db/client.js';
import type { Role } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Superseded } from '../auth/token-rotation.js';
import type { SessionColumns } from './model.js';

export type SessionAuthRow = Pick<SessionColumns, 'id' | 'userId' | 'organizationId' | 'lastActiveAt' | 'expiresAt' | 'revokedAt'> & {
  tokenHash: string;
  tokenRotatedAt: Date;
  authenticatedAt: Date;
  email: string;
  name: string;
  userCreatedAt: Date;
  /** Null once the membership is gone: the session is refused. */
  role: Role | null;
};

const COLUMNS = Prisma.sql`s."id", s."userId", s."organizationId", s."tokenHash", s."tokenRotatedAt",
  s."lastActiveAt", s."expiresAt", s."revokedAt", s."authenticatedAt", u."email", u."name", u."createdAt" AS "userCreatedAt", m."role"`;
const JOINS = Prisma.sql`JOIN "User" u ON u."id" = s."userId"
  LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"`;

export function readAuthRows(prisma: PrismaClient, where: Prisma.Sql): Promise<SessionAuthRow[]> {
  return prisma.$queryRaw<SessionAuthRow[]>`SELECT ${COLUMNS} FROM "Session" s ${JOINS} WHERE ${where}`;
}

/** A session found by one of its superseded tokens, with when that token was replaced. */
export async function readBySupersededToken(prisma: PrismaClient, tokenHash: string): Promise<{ row: SessionAuthRow; superseded: Superseded } | undefined> {
  const rows = await prisma.$queryRaw<(SessionAuthRow & Superseded)[]>`
    SELECT ${COLUMNS}, t."supersededAt", t."successorNonce"
    FROM "SupersededToken" t JOIN "Session" s ON s."id" = t."sessionId" ${JOINS}
    WHERE t."tokenHash" = ${tokenHash}`;
  const found = rows[0];
  if (!found) return undefined;
  const { supersededAt, successorNonce, ...row } = found;
  return { row, superseded: { supersededAt, successorNonce } };
}

/** Records activity of many sessions in one statement (never moving a time back). */
export async function touchSessions(prisma: PrismaClient, ids: string[], now: Date): Promise<void> {
  await prisma.$executeRaw`UPDATE "Session" SET "lastActiveAt" = ${now} WHERE "id" = ANY(${ids}::uuid[]) AND "lastActiveAt" < ${now}`;
}
