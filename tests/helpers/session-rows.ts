// Sessions written straight into PostgreSQL, for tests that need many (a sign-in costs an
// argon2id hash), with tokens made as the gateway makes them; and changes that bypass the gateway
// (no change message, no auth epoch), which only an instance answering from its cache misses.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Role } from '../gql/graphql.js';

export interface RowSession {
  id: string;
  token: string;
}

export class SessionRows {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  }

  /** A new live session of the user in the organisation. */
  async insert(userId: string, organizationId: string): Promise<RowSession> {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO "Session" ("id", "userId", "organizationId", "tokenHash", "expiresAt")
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, now() + interval '1 day') RETURNING "id"`,
      [userId, organizationId, tokenHash],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('session not inserted');
    return { id, token };
  }

  /** Revoked in the database only: the gateways hear nothing of it. */
  async revokeSilently(sessionId: string): Promise<void> {
    await this.pool.query(`UPDATE "Session" SET "revokedAt" = now(), "revokedReason" = 'REVOKED_BY_USER' WHERE "id" = $1::uuid`, [sessionId]);
  }

  /** A role changed in the database only. */
  async setRoleSilently(userId: string, organizationId: string, role: Role): Promise<void> {
    await this.pool.query(`UPDATE "Membership" SET "role" = $3::"Role" WHERE "userId" = $1::uuid AND "organizationId" = $2::uuid`, [userId, organizationId, role]);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
