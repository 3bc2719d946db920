// A gateway killed (SIGKILL) in the middle of revokeOtherSessions leaves either all of the
// sessions revoked or none: the revocation is one statement. Needs a database shared with a
// separate process, so it runs in the postgres project.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/tokens.js';
import { graphql } from './gql/index.js';
import { documentText, signUp } from './helpers/graphql.js';
import type { GatewayProcess } from './helpers/process.js';
import { spawnGateway } from './helpers/process.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const SESSIONS = 20_000;

describe.skipIf(!databaseUrl)('a crash in the middle of revokeOtherSessions', () => {
  let gateway: GatewayProcess;
  let db: pg.Client;
  beforeAll(async () => {
    gateway = await spawnGateway({ DATABASE_URL: databaseUrl! });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await db?.end();
  });

  it('leaves all or none revoked', async () => {
    const u = await signUp(gateway);
    // Many sessions, inserted directly (a benchmark-sized batch makes the UPDATE take a while).
    const ids = Array.from({ length: SESSIONS }, () => randomUUID());
    const hashes = ids.map(() => hashToken(randomBytes(32).toString('base64url')));
    await db.query(
      `INSERT INTO "Session" ("id", "userId", "organizationId", "tokenHash", "expiresAt", "lastActiveAt", "createdAt", "tokenRotatedAt")
       SELECT unnest($1::uuid[]), $2::uuid, $3::uuid, unnest($4::text[]), now() + interval '1 day', now(), now(), now()`,
      [ids, u.userId, u.organizationId, hashes],
    );
    const request = fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` },
      body: JSON.stringify({ query: documentText(graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`)) }),
    }).catch(() => null);
    // Kill the process while the statement runs (it takes tens of milliseconds for this batch).
    await new Promise((r) => setTimeout(r, 25));
    await gateway.stop('SIGKILL');
    await request;
    // PostgreSQL rolls back the killed backend's statement once the connection drops.
    let revoked = -1;
    for (let i = 0; i < 50; i++) {
      const active = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'UPDATE "public"."Session"%' AND state = 'active'`);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Session" WHERE "id" = ANY($1::uuid[]) AND "revokedAt" IS NOT NULL`, [ids]);
      revoked = rows[0]!.n;
      if ((active.rows[0] as { n: number }).n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`crash during revokeOtherSessions of ${SESSIONS}: ${revoked === 0 ? 'none' : revoked === SESSIONS ? 'all' : revoked} revoked`);
    expect([0, SESSIONS]).toContain(revoked);
  }, 60_000);
});
