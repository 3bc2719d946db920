// A change whose Redis message was lost silently (written to the database, never published): the
// periodic sweep closes the revoked socket, and the next event of that user reaches it only as
// its own REVOKED event and a 4403 close, never as news of the user's activity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsAfter, oneTab } from './helpers/faults.js';
import type { TestUser } from './helpers/graphql.js';
import { signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

/** Revokes in the database only, as a change whose message never went out. */
async function revokeSilently(server: TestServer, sessionId: string): Promise<void> {
  await server.app.services.prisma.$executeRaw`UPDATE "Session" SET "revokedAt" = now(), "revokedReason" = 'REVOKED_BY_USER' WHERE "id" = ${sessionId}::uuid`;
}

describe.skipIf(!databaseUrl || !redisUrl)('a revocation whose message was lost', () => {
  let sweeping: TestServer;
  let rarely: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    sweeping = await startServer({ redisUrl, live: { sweepMs: 1000, degradedSweepMs: 1000, maxBufferedBytes: 1 << 20, drainMs: 0, worker: false, workerPartRows: 500 } });
    rarely = await startServer({ redisUrl, live: { sweepMs: 600_000, degradedSweepMs: 600_000, maxBufferedBytes: 1 << 20, drainMs: 0, worker: false, workerPartRows: 500 } });
    user = await signUp(sweeping);
  });
  afterAll(async () => {
    await Promise.all([sweeping?.stop(), rarely?.stop()]);
  });

  it('the sweep closes its socket (4403, after its REVOKED event) within the sweep period', async () => {
    const found = await oneTab(sweeping, user);
    const { socket, session: tab } = found;
    await revokeSilently(sweeping, tab.sessionId);
    const revokedAt = performance.now();
    const closed = await socket.closed;
    expect(closed.code).toBe(4403);
    expect(socket.events.find((e) => e.type === 'REVOKED')?.session.id).toBe(tab.sessionId);
    expect(closed.at - revokedAt).toBeLessThan(5000);
    expect(eventsAfter(found, revokedAt)).toBe(0);
  });

  it('the next event of the user kicks it instead of reaching it', async () => {
    const found = await oneTab(rarely, user);
    const { socket, session: tab } = found;
    await revokeSilently(rarely, tab.sessionId);
    const revokedAt = performance.now();
    const next = await signIn(rarely, user);
    const closed = await socket.closed;
    expect(closed.code).toBe(4403);
    expect(socket.events.some((e) => e.session.id === next.sessionId)).toBe(false);
    expect(eventsAfter(found, revokedAt)).toBe(0);
  });
});
