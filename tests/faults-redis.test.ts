// Revocation under Redis faults, caused for real on a private redis-server: killed and started
// again, never back, paused (SIGSTOP: its sockets stay open, nothing answers), and a gateway
// killed with its sockets open. Each time the revoked sockets close with 4403 after their own
// REVOKED event, and hear nothing about what happened after their revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { allEventsAfter, allKicked, eventsAfter, expectQuietKick, oneTab, signInMany, stillOpen, subscribedTabs } from './helpers/faults.js';
import { ok, signIn, signUp } from './helpers/graphql.js';
import type { GatewayProcess, Proc } from './helpers/process.js';
import { freePort, spawnGateway, spawnRedis } from './helpers/process.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const SOCKETS = 100;
const REVOKE_OTHERS = graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`);

describe.skipIf(!databaseUrl)('revocation under Redis faults (two gateways, one PostgreSQL, a private Redis)', () => {
  let redis: Proc;
  let redisPort: number;
  let a: GatewayProcess;
  /** Sweeps so rare that only Redis coming back (or a delivery check) can close its sockets. */
  let b: GatewayProcess;
  /** The default sweeps. */
  let c: GatewayProcess;
  const redisUp = async () => {
    if (redis.child.exitCode === null && redis.child.signalCode === null) return;
    redis = await spawnRedis(redisPort);
  };

  /** SOCKETS subscribed tabs on `holder`; Redis killed; every one revoked through A. */
  const revokedWhileRedisDown = async (holder: GatewayProcess) => {
    const u = await signUp(a);
    const tabs = await subscribedTabs(holder, u, await signInMany(holder, u, SOCKETS));
    await redis.stop('SIGKILL');
    await holder.waitForLog(/redis messages may be missed/);
    await ok(a, REVOKE_OTHERS, undefined, u.auth);
    return { u, tabs, revokedAt: performance.now() };
  };

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await spawnRedis(redisPort);
    const env = { DATABASE_URL: databaseUrl!, REDIS_URL: `redis://127.0.0.1:${redisPort}`, WS_MAX_SOCKETS_PER_USER: '1000' };
    a = await spawnGateway(env);
    b = await spawnGateway({ ...env, LIVE_SWEEP_SECONDS: '600', LIVE_DEGRADED_SWEEP_SECONDS: '600' });
    c = await spawnGateway(env);
  }, 150_000);
  afterAll(async () => {
    redis.child.kill('SIGCONT');
    await Promise.all([a?.stop(), b?.stop(), c?.stop(), redis?.stop('SIGKILL')]);
  });

  it('Redis killed, then back: the sockets revoked meanwhile close once it answers, and hear nothing after', async () => {
    const { u, tabs, revokedAt } = await revokedWhileRedisDown(b);
    // What a stolen session would like to read: the next sign-in, through the instance it cannot hear.
    await signIn(a, u);
    await new Promise((r) => setTimeout(r, 1500));
    expect(stillOpen(tabs)).toBe(SOCKETS);
    redis = await spawnRedis(redisPort);
    const back = performance.now();
    const lastClose = await allKicked(tabs, 15_000);
    await signIn(b, u);
    expectQuietKick(tabs, { label: 'redis-restart', revokedAt, lastClose, from: back, what: 'Redis was back', limitMs: 10_000 });
  }, 120_000);

  it('Redis down for good: the revoked sockets close within the degraded sweep', async () => {
    await redisUp();
    const { tabs, revokedAt } = await revokedWhileRedisDown(c);
    const lastClose = await allKicked(tabs, 10_000);
    expectQuietKick(tabs, { label: 'redis-down', revokedAt, lastClose, from: revokedAt, what: 'the revocation answered', limitMs: 8000 });
  }, 120_000);

  it('a change made through the instance itself while Redis is down reaches no socket of a session revoked elsewhere', async () => {
    await redisUp();
    const u = await signUp(a);
    const tab = await oneTab(b, u);
    const { socket, session: stolen } = tab;
    await redis.stop('SIGKILL');
    await b.waitForLog(/redis messages may be missed/);
    await ok(a, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: stolen.sessionId }, u.auth);
    const revokedAt = performance.now();
    const fresh = await signIn(b, u);
    const closed = await socket.closed;
    expect(closed.code).toBe(4403);
    expect(socket.events.some((e) => e.session.id === fresh.sessionId)).toBe(false);
    expect(eventsAfter(tab, revokedAt)).toBe(0);
  }, 60_000);

  it('Redis paused: sign-in and revocation answer at once, the revoked sockets close, nothing arrives late', async () => {
    await redisUp();
    const u = await signUp(a);
    const tabs = await subscribedTabs(c, u, await signInMany(c, u, SOCKETS));
    redis.child.kill('SIGSTOP');
    try {
      let started = performance.now();
      await signIn(a, u);
      const signInMs = performance.now() - started;
      started = performance.now();
      await ok(a, REVOKE_OTHERS, undefined, u.auth);
      const revokedAt = performance.now();
      const revokeMs = revokedAt - started;
      expect(signInMs).toBeLessThan(5000);
      expect(revokeMs).toBeLessThan(5000);
      const lastClose = await allKicked(tabs, 15_000);
      console.log(`FAULT redis-paused: signIn ${Math.round(signInMs)} ms, revokeOtherSessions ${Math.round(revokeMs)} ms, last of ${SOCKETS} revoked sockets closed ${Math.round(lastClose - revokedAt)} ms after`);
      redis.child.kill('SIGCONT');
      await new Promise((r) => setTimeout(r, 2000));
      await signIn(a, u);
      expect(allEventsAfter(tabs, revokedAt)).toBe(0);
    } finally {
      redis.child.kill('SIGCONT');
    }
  }, 120_000);

  it('a gateway killed with open sockets: its revoked sessions are refused (4403) where their clients reconnect', async () => {
    await redisUp();
    const env = { DATABASE_URL: databaseUrl!, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    const d = await spawnGateway(env);
    const u = await signUp(a);
    const { socket, session: tab } = await oneTab(d, u);
    await d.stop('SIGKILL');
    expect((await socket.closed).code).toBe(1006);
    await ok(a, graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`), { id: tab.sessionId }, u.auth);
    const again = await openLive(a.wsUrl, { token: tab.token });
    expect((await again.closed).code).toBe(4403);
  }, 60_000);
});
