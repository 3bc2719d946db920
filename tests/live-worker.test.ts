// LIVE_WORKER: the sockets are held by a child process of the gateway, which answers HTTP. Each
// path of a revocation and each way a process ends, caused for real: a batch kick, a change
// through another instance (Redis), the worker SIGKILLed (started again), the gateway SIGKILLed
// (the worker does not outlive it), SIGTERM (drained through the worker).
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/process/config.js';
import { graphql } from './gql/index.js';
import { allKicked, expectQuietKick, oneTab, signInMany, stillOpen, subscribedTabs } from './helpers/faults.js';
import { gql, joinAs, ok, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { GatewayProcess } from './helpers/process.js';
import { spawnGateway } from './helpers/process.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const SOCKETS = 50;
const REVOKE_OTHERS = graphql(`mutation WorkerRevokeOthers { revokeOtherSessions { revokedCount } }`);
const REVOKE_ORG = graphql(`mutation WorkerRevokeOrganization($o: ID!) { revokeOrganizationSessions(organizationId: $o) { revokedCount } }`);
const REVOKE = graphql(`mutation WorkerRevokeOne($id: ID!) { revokeSession(id: $id) { id } }`);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The pid of the `nth` worker the gateway started (1 = the first). */
async function workerPid(gateway: GatewayProcess, nth = 1): Promise<number> {
  await until(() => gateway.logs.filter((l) => l.includes('"msg":"live worker ready"')).length >= nth, 30_000, `live worker #${nth}`);
  const line = gateway.logs.filter((l) => l.includes('"msg":"live worker ready"'))[nth - 1] ?? '';
  return (JSON.parse(line) as { pid: number }).pid;
}

it('refuses LIVE_WORKER on the embedded database: it can only be opened by one process', () => {
  expect(() => loadConfig({ LIVE_WORKER: '1' })).toThrow(/LIVE_WORKER needs DATABASE_URL/);
  expect(loadConfig({ LIVE_WORKER: '1', DATABASE_URL: 'postgres://x@127.0.0.1/x' }).live.worker).toBe(true);
});

describe.skipIf(!databaseUrl)('the sockets held by a live worker process', () => {
  const started: GatewayProcess[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const gateway = await spawnGateway({ DATABASE_URL: databaseUrl ?? '', REDIS_URL: '', LIVE_WORKER: '1', ...env }, { readyTimeoutMs: 90_000 });
    started.push(gateway);
    return gateway;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((g) => g.stop('SIGKILL')));
  });

  // Parts of 7 rows: the change of this batch reaches the worker in 8 parts, one per turn of the gateway's loop.
  it(`a batch revocation answered by the gateway, its rows sent in parts: each of ${SOCKETS} sockets in the worker hears its own REVOKED, closes with 4403, and nothing after`, async () => {
    const gateway = await start({ LIVE_WORKER_PART_ROWS: '7' });
    const pid = await workerPid(gateway);
    expect(pid).not.toBe(gateway.child.pid);
    const user = await signUp(gateway);
    const tabs = await subscribedTabs(gateway, user, await signInMany(gateway, user, SOCKETS));
    // The probes of subscribedTabs are sessions too.
    expect((await ok(gateway, REVOKE_OTHERS, undefined, user.auth)).revokeOtherSessions.revokedCount).toBeGreaterThanOrEqual(SOCKETS);
    const revokedAt = performance.now();
    const lastClose = await allKicked(tabs, 10_000);
    expectQuietKick(tabs, { label: 'live-worker-batch', revokedAt, lastClose, from: revokedAt, what: 'the revocation answered', limitMs: 5000 });
    // The next request of a revoked session is refused (the gateway's own check).
    const refused = await gql(gateway, WHO_AM_I, undefined, tabs[0]!.session.auth);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The user's remaining session is still served over its socket.
    const survivor = await openLive(gateway.wsUrl, { token: user.token });
    await survivor.waitForFrame((f) => f.type === 'connection_ack');
  }, 120_000);

  // One change per member, each of 10 rows in two parts: the members' parts queue behind each other.
  it("an organisation-wide revocation: every member's sockets in the worker hear their own REVOKED and close with 4403", async () => {
    const gateway = await start({ LIVE_WORKER_PART_ROWS: '7' });
    const owner = await signUp(gateway);
    const members = await Promise.all([1, 2, 3].map(async () => (await joinAs(gateway, owner, 'MEMBER')).inOrg));
    const tabs = (await Promise.all(members.map(async (m) => subscribedTabs(gateway, m, await signInMany(gateway, m, 10, owner.organizationId))))).flat();
    const { revokeOrganizationSessions } = await ok(gateway, REVOKE_ORG, { o: owner.organizationId }, owner.auth);
    expect(revokeOrganizationSessions.revokedCount).toBeGreaterThanOrEqual(tabs.length);
    const revokedAt = performance.now();
    const lastClose = await allKicked(tabs, 10_000);
    expectQuietKick(tabs, { label: 'live-worker-organisation', revokedAt, lastClose, from: revokedAt, what: 'the revocation answered', limitMs: 5000 });
  }, 120_000);

  it('a worker that dies is started again; its clients reconnect and are kicked as before', async () => {
    const gateway = await start();
    const first = await workerPid(gateway);
    const user = await signUp(gateway);
    const before = await oneTab(gateway, user);
    process.kill(first, 'SIGKILL');
    const lost = await before.socket.closed;
    expect(lost.code).toBe(1006);
    const second = await workerPid(gateway, 2);
    expect(second).not.toBe(first);
    // HTTP never stopped; a reconnecting client is served by the new worker, and kicked by it.
    const again = await oneTab(gateway, before.session);
    await ok(gateway, REVOKE, { id: again.session.sessionId }, user.auth);
    expect((await again.socket.closed).code).toBe(4403);
    expect(again.socket.events.some((e) => e.type === 'REVOKED' && e.session.id === again.session.sessionId)).toBe(true);
  }, 120_000);

  it('the gateway SIGKILLed: the worker closes its sockets and exits instead of holding them', async () => {
    const gateway = await start();
    const pid = await workerPid(gateway);
    const user = await signUp(gateway);
    const tabs = await subscribedTabs(gateway, user, await signInMany(gateway, user, 5));
    await gateway.stop('SIGKILL');
    const closes = await Promise.all(tabs.map((t) => t.socket.closed));
    expect(closes.map((c) => c.code)).toEqual(tabs.map(() => 1012));
    await until(() => !alive(pid), 10_000, 'the worker to exit');
    expect(stillOpen(tabs)).toBe(0);
  }, 120_000);

  it('SIGTERM drains the sockets through the worker (1012) and both processes exit 0', async () => {
    const gateway = await start({ SHUTDOWN_DRAIN_SECONDS: '1' });
    const pid = await workerPid(gateway);
    const user = await signUp(gateway);
    const tabs = await subscribedTabs(gateway, user, await signInMany(gateway, user, 10));
    expect(await gateway.stop('SIGTERM')).toBe(0);
    const closes = await Promise.all(tabs.map((t) => t.socket.closed));
    expect(closes.map((c) => c.code)).toEqual(tabs.map(() => 1012));
    expect(alive(pid)).toBe(false);
  }, 120_000);

  it.skipIf(!redisUrl)('a revocation through another instance reaches the worker through Redis', async () => {
    const holder = await start({ REDIS_URL: redisUrl ?? '' });
    const other = await spawnGateway({ DATABASE_URL: databaseUrl ?? '', REDIS_URL: redisUrl ?? '' }, { readyTimeoutMs: 90_000 });
    started.push(other);
    const user = await signUp(other);
    const tabs = await subscribedTabs(holder, user, await signInMany(holder, user, 10));
    await ok(other, REVOKE_OTHERS, undefined, user.auth);
    const revokedAt = performance.now();
    const lastClose = await allKicked(tabs, 10_000);
    expectQuietKick(tabs, { label: 'live-worker-redis', revokedAt, lastClose, from: revokedAt, what: 'the revocation answered', limitMs: 5000 });
  }, 120_000);
});
