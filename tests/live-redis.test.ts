// Two gateway processes on one PostgreSQL, sharing events through Redis: a revocation made
// through A kicks a socket held by B. Runs in the postgres project (needs a shared database).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, ok, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { GatewayProcess, Proc } from './helpers/process.js';
import { freePort, spawnGateway, spawnRedis } from './helpers/process.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!databaseUrl || !redisUrl)('two instances through the machine\'s Redis', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([spawnGateway({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl! }), spawnGateway({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl! })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a sign-in through A appears on B, and a revocation through A kicks the socket on B', async () => {
    const u = await signUp(a);
    const onB = await signIn(b, u);
    // What crosses Redis: the rows of a small change ride along, without any token hash.
    const wire: string[] = [];
    const listener = new Redis(redisUrl!);
    listener.on('message', (_channel: string, message: string) => wire.push(message));
    await listener.subscribe('session-gateway:session-changes');
    // Messages from Redis are input: rows with dates that are not dates, or not JSON at all, are
    // ignored or re-read, and never crash an instance.
    const pub = new Redis(redisUrl!);
    const hostile = { toString: 0, valueOf: 0 };
    await pub.publish('session-gateway:session-changes', JSON.stringify({ origin: 'elsewhere', change: { type: 'REVOKED', userId: u.userId, sessionIds: [], reason: null, sessions: [{ id: 'x', userId: u.userId, organizationId: 'y', createdAt: hostile, organization: { id: 'y', name: 'n', slug: 's', createdAt: hostile } }] } }));
    await pub.publish('session-gateway:session-changes', JSON.stringify({ origin: 'elsewhere', change: { type: 'REVOKED', userId: u.userId, sessionIds: [], reason: null, sessions: 'nope' } }));
    await pub.publish('session-gateway:session-changes', '{"origin":');
    pub.disconnect();
    const socket = await openLive(b.wsUrl, { token: onB.token });
    socket.subscribe('1', graphql(`subscription SessionEventsWithDates { sessionEvents { type reason session { id isCurrent createdAt organization { id name } } } }`));
    // the CREATED event of a sign-in through A proves the subscription is live on B
    const laptop = await signIn(a, u);
    await socket.waitForEvent((e) => e.type === 'CREATED' && e.session.id === laptop.sessionId, 10_000);
    // From the request: the mutation does not wait for Redis, so B may close the socket before A's answer arrives.
    const sent = performance.now();
    await ok(a, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: onB.sessionId }, laptop.auth);
    const own = await socket.waitForEvent((e) => e.type === 'REVOKED');
    const closed = await socket.closed;
    expect(own).toMatchObject({ reason: 'REVOKED_BY_USER', session: { id: onB.sessionId, isCurrent: true, organization: { id: u.organizationId, name: expect.any(String) } } });
    expect(Number.isNaN(Date.parse(String((own.session as { createdAt?: string }).createdAt)))).toBe(false);
    expect(closed.code).toBe(4403);
    const fromGateways = wire.filter((m) => m.startsWith('{') && !m.includes('"origin":"elsewhere"') && m !== '{"origin":');
    const revokedOnWire = fromGateways.map((m) => JSON.parse(m) as { change: { type: string; sessions?: { id: string }[] } }).find((m) => m.change.type === 'REVOKED');
    expect(revokedOnWire?.change.sessions?.map((r) => r.id)).toEqual([onB.sessionId]);
    // With the role, so that B's sockets show it without a query each.
    expect(revokedOnWire?.change.sessions?.[0]).toMatchObject({ role: 'OWNER' });
    expect(wire.join('')).not.toMatch(/tokenHash|previousTokenHash/);
    listener.disconnect();
    console.log(`KICK across instances (A→Redis→B): request sent→close ${(closed.at - sent).toFixed(1)} ms`);
    expect((await gql(b, WHO_AM_I, undefined, onB.auth)).status).toBe(401);
  });

  it('SIGTERM stops an instance cleanly (exit code 0)', async () => {
    const c = await spawnGateway({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl! });
    const u = await signUp(c);
    const socket = await openLive(c.wsUrl, { token: u.token });
    expect(await c.stop('SIGTERM')).toBe(0);
    expect((await socket.closed).code).toBe(1012);
  }, 60_000);
});

describe.skipIf(!databaseUrl)('when Redis goes away', () => {
  let redis: Proc;
  let redisPort: number;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    redisPort = await freePort();
    redis = await spawnRedis(redisPort);
    const env = { DATABASE_URL: databaseUrl!, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    [a, b] = await Promise.all([spawnGateway(env), spawnGateway(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), redis?.stop('SIGKILL')]);
  });

  it('keeps serving HTTP, refuses revoked sessions, says so in its log, and reconnects by itself', async () => {
    const u = await signUp(a);
    const onB = await signIn(b, u);
    await redis.stop('SIGKILL');
    await a.waitForLog(/redis (reconnecting|error)/);
    // HTTP still works on both, and a revocation through A is refused on B at once
    await ok(a, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: onB.sessionId }, u.auth);
    expect((await gql(b, WHO_AM_I, undefined, onB.auth)).status).toBe(401);
    await ok(b, WHO_AM_I, undefined, u.auth);

    redis = await spawnRedis(redisPort);
    await Promise.all([a.waitForLog(/redis ready/), b.waitForLog(/redis ready/)]);
    // events flow again between the instances
    const tab = await signIn(b, u);
    const socket = await openLive(b.wsUrl, { token: tab.token });
    socket.subscribe();
    let created: string | undefined;
    for (let attempt = 0; attempt < 20 && !created; attempt++) {
      const s = await signIn(a, u);
      created = await socket.waitForEvent((e) => e.type === 'CREATED' && e.session.id === s.sessionId, 500).then((e) => e.session.id).catch(() => undefined);
    }
    expect(created).toBeDefined();
    socket.close();
  }, 60_000);
});
