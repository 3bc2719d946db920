// SQL shared by the seeding code and scenario 2's raw baseline.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * The rows behind `sessions` (the web client's SessionFields): live sessions of one user in
 * organisations they still belong to, with the organisation's name and the role, newest first.
 */
export const RAW_SESSIONS_SQL = `
  SELECT s."id", s."browser", s."os", s."deviceType", s."ipAddress", s."createdAt", s."lastActiveAt",
         s."expiresAt", s."organizationId", o."name" AS "organizationName", m."role"
  FROM "Session" s
  JOIN "Organization" o ON o."id" = s."organizationId"
  JOIN "Membership" m ON m."userId" = s."userId" AND m."organizationId" = s."organizationId"
  WHERE s."userId" = $1::uuid AND s."revokedAt" IS NULL AND s."expiresAt" > now()
    AND s."lastActiveAt" > now() - interval '7 days'
  ORDER BY s."lastActiveAt" DESC`;

export interface MintedSession {
  id: string;
  token: string;
  organizationId: string;
}

/** Tokens made as the gateway makes them (server/auth/tokens.ts): 32 random bytes, base64url. */
export function mintSessions(count: number, organizationIds: string[]): MintedSession[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    token: randomBytes(32).toString('base64url'),
    organizationId: organizationIds[i % organizationIds.length] as string,
  }));
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/**
 * INSERT statements for sessions of one user, 1,000 rows each. Every value is a UUID, hex, a
 * fixed string or a number, so literal SQL is safe here and works on PGlite and PostgreSQL alike.
 */
export function insertSessionsSql(userId: string, sessions: MintedSession[]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < sessions.length; i += 1000) {
    const values = sessions.slice(i, i + 1000).map((s, j) => {
      const hash = createHash('sha256').update(s.token).digest('hex');
      // Public addresses (documentation ranges) so that `location` does a real lookup.
      const ip = `81.2.69.${(i + j) % 250}`;
      // Distinct lastActiveAt values: the list's order is then well defined.
      return `('${s.id}', '${userId}', '${s.organizationId}', '${hash}', '${ip}', '${UA}', 'Chrome', 'Linux', 'desktop', now(), now() - interval '${i + j} milliseconds', now() + interval '30 days')`;
    });
    statements.push(
      `INSERT INTO "Session" ("id", "userId", "organizationId", "tokenHash", "ipAddress", "userAgent", "browser", "os", "deviceType", "createdAt", "lastActiveAt", "expiresAt") VALUES ${values.join(',\n')}`,
    );
  }
  return statements;
}

export const BROWSER_UA = UA;
