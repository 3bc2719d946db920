// Two gateway processes on one PostgreSQL and one Redis, each with its session cache on (the
// default): a change made through A is refused or seen by B on the very next request, because B
// checks every cached row against its user's auth epoch in Redis (server/sessions/auth-epochs.ts).
// Sessions are written straight into the database (tests/helpers/session-rows.ts); a change made
// there behind the gateways' backs tells whether B answered from its cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { Auth, TestUser } from './helpers/graphql.js';
import { gql, joinAs, ok, PASSWORD, signUp } from './helpers/graphql.js';
import { REVOKE } from './helpers/live.js';
import type { GatewayProcess, Proc } from './helpers/process.js';
import { freePort, spawnGateway, spawnRedis } from './helpers/process.js';
import { SessionRows } from './helpers/session-rows.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

const ME = graphql(`query CacheMe { me { id currentOrganizationRole } }`);
const SIGN_OUT = graphql(`mutation CacheSignOut { signOut }`);
const REVOKE_OTHERS = graphql(`mutation CacheRevokeOthers { revokeOtherSessions { revokedCount } }`);
const REFRESH = graphql(`mutation CacheRefresh { refreshSession { token } }`);
const CHANGE_PASSWORD = graphql(`mutation CacheChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedCount token } }`);
const UPDATE_ROLE = graphql(`mutation CacheUpdateRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);

const bearer = (token: string): Auth => ({ token });
const status = async (server: GatewayProcess, token: string) => (await gql(server, ME, undefined, bearer(token))).status;

/** Two requests: the first teaches B whose token it is, the second caches the row under the user's epoch. */
async function warm(server: GatewayProcess, token: string): Promise<void> {
  for (let i = 0; i < 2; i++) expect(await status(server, token)).toBe(200);
}

/** Whether `server` answers `token` from its cache: revoked behind its back, it is still accepted only from there. */
async function servedFromCache(server: GatewayProcess, rows: SessionRows, user: TestUser): Promise<boolean> {
  const probe = await rows.insert(user.userId, user.organizationId);
  await warm(server, probe.token);
  await rows.revokeSilently(probe.id);
  return (await status(server, probe.token)) === 200;
}

describe.skipIf(!databaseUrl || !redisUrl)('the session cache on two instances (the machine\'s Redis)', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  let rows: SessionRows;
  beforeAll(async () => {
    // No grace window for a rotated-out token: presented again, it is refused (and ends its session) at once.
    const env = { DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl!, TOKEN_REUSE_GRACE_SECONDS: '0' };
    [a, b] = await Promise.all([spawnGateway(env), spawnGateway(env)]);
    rows = new SessionRows(databaseUrl!);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), rows?.close()]);
  });

  it('is on with REDIS_URL: B answers a warm session from its cache', async () => {
    const u = await signUp(a);
    expect(await servedFromCache(b, rows, u)).toBe(true);
  });

  it('refuses on B, 1,000 times out of 1,000, a warm session revoked through A the moment before', async () => {
    const LANES = 10;
    const PER_LANE = 100;
    const users = await Promise.all(Array.from({ length: LANES }, () => signUp(a)));
    const codes: (string | undefined)[] = [];
    let accepted = 0;
    let probes = 0;
    let cached = 0;
    const started = performance.now();
    await Promise.all(
      users.map(async (u) => {
        for (let i = 0; i < PER_LANE; i++) {
          // Every tenth round first shows that the warm-up really caches (its own probe session).
          if (i % 10 === 0) {
            probes++;
            if (await servedFromCache(b, rows, u)) cached++;
          }
          const s = await rows.insert(u.userId, u.organizationId);
          await warm(b, s.token);
          if (i % 3 === 0) await ok(a, REVOKE, { id: s.id }, u.auth);
          else if (i % 3 === 1) await ok(a, SIGN_OUT, undefined, bearer(s.token));
          else await ok(a, REVOKE_OTHERS, undefined, u.auth);
          const res = await gql(b, ME, undefined, bearer(s.token));
          if (res.status === 200) accepted++;
          codes.push(res.code);
        }
      }),
    );
    console.log(`SESSION CACHE revoke through A → me through B: ${codes.length} rounds in ${Math.round(performance.now() - started)} ms, ${accepted} accepted; ${cached}/${probes} warm-ups served from cache`);
    expect(accepted).toBe(0);
    expect(codes.length).toBe(LANES * PER_LANE);
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED']));
    expect(cached).toBe(probes);
  }, 120_000);

  it('a role changed through A is what B says on the next request', async () => {
    const owner = await signUp(a);
    const { inOrg: member } = await joinAs(a, owner, 'MEMBER');
    await warm(b, member.token);
    // Behind B's back: B still says MEMBER, from its cache.
    await rows.setRoleSilently(member.userId, owner.organizationId, 'OWNER');
    expect((await ok(b, ME, undefined, member.auth)).me.currentOrganizationRole).toBe('MEMBER');
    await ok(a, UPDATE_ROLE, { input: { organizationId: owner.organizationId, userId: member.userId, role: 'ADMIN' } }, owner.auth);
    expect((await ok(b, ME, undefined, member.auth)).me.currentOrganizationRole).toBe('ADMIN');
  });

  it('a token rotated through A is refused on B as on one instance (reuse: the session ends)', async () => {
    const u = await signUp(a);
    const s = await rows.insert(u.userId, u.organizationId);
    await warm(b, s.token);
    const { token } = (await ok(a, REFRESH, undefined, bearer(s.token))).refreshSession;
    const old = await gql(b, ME, undefined, bearer(s.token));
    expect([old.status, old.code]).toEqual([401, 'UNAUTHENTICATED']);
    // Presented after the (zero) grace window, the old token proved a copy: the new one is refused too.
    expect(await status(b, token)).toBe(401);
  });

  it('a password changed through A refuses on B the old token and every other session; the new token works', async () => {
    const u = await signUp(a);
    const other = await rows.insert(u.userId, u.organizationId);
    await warm(b, u.token);
    await warm(b, other.token);
    const changed = (await ok(a, CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: `${PASSWORD} again, longer` } }, u.auth)).changePassword;
    expect(changed.revokedCount).toBe(1);
    expect(await status(b, u.token)).toBe(401);
    expect(await status(b, other.token)).toBe(401);
    expect(await status(b, changed.token)).toBe(200);
  });
});

const logged = (proc: Proc, pattern: RegExp): number => proc.logs.filter((l) => pattern.test(l)).length;

/** Waits until `proc` has logged `count` lines matching `pattern`. */
async function untilLogged(proc: Proc, pattern: RegExp, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (logged(proc, pattern) < count) {
    if (performance.now() > deadline) throw new Error(`fewer than ${count} log lines matching ${pattern}:\n${proc.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const SUSPENDED = /redis does not confirm auth epochs/;
const CONFIRMED = /redis confirms auth epochs/;

describe.skipIf(!databaseUrl)('the session cache while a private Redis is paused', () => {
  let redis: Proc;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let rows: SessionRows;
  beforeAll(async () => {
    const port = await freePort();
    redis = await spawnRedis(port);
    const env = { DATABASE_URL: databaseUrl!, REDIS_URL: `redis://127.0.0.1:${port}` };
    [a, b] = await Promise.all([spawnGateway(env), spawnGateway(env)]);
    rows = new SessionRows(databaseUrl!);
  }, 60_000);
  afterAll(async () => {
    redis?.child.kill('SIGCONT');
    await Promise.all([a?.stop(), b?.stop(), rows?.close(), redis?.stop('SIGKILL')]);
  });

  it('B answers from the database, refuses a session revoked meanwhile through A, and caches again once Redis answers', async () => {
    const u = await signUp(a);
    const [kept, doomed] = await Promise.all([rows.insert(u.userId, u.organizationId), rows.insert(u.userId, u.organizationId)]);
    await warm(b, kept.token);
    await warm(b, doomed.token);
    expect(await servedFromCache(b, rows, u)).toBe(true);
    const behindBack = await rows.insert(u.userId, u.organizationId);
    await warm(b, behindBack.token);
    const [suspended, confirmed] = [logged(b, SUSPENDED), logged(b, CONFIRMED)];
    redis.child.kill('SIGSTOP');
    try {
      let started = performance.now();
      expect(await status(b, kept.token)).toBe(200);
      const firstMs = performance.now() - started;
      await untilLogged(b, SUSPENDED, suspended + 1);
      // Nothing is trusted from the cache now: a revocation it never heard of is seen in the database.
      await rows.revokeSilently(behindBack.id);
      expect(await status(b, behindBack.token)).toBe(401);
      started = performance.now();
      await ok(a, REVOKE, { id: doomed.id }, u.auth);
      const revokeMs = performance.now() - started;
      expect(await status(b, doomed.token)).toBe(401);
      started = performance.now();
      expect(await status(b, kept.token)).toBe(200);
      const laterMs = performance.now() - started;
      console.log(`SESSION CACHE redis paused: first request on B ${Math.round(firstMs)} ms, revokeSession on A ${Math.round(revokeMs)} ms, next request on B ${Math.round(laterMs)} ms`);
      expect(firstMs).toBeLessThan(3000);
      expect(revokeMs).toBeLessThan(3000);
      expect(laterMs).toBeLessThan(1000);
    } finally {
      redis.child.kill('SIGCONT');
    }
    await untilLogged(b, CONFIRMED, confirmed + 1);
    expect(await status(b, doomed.token)).toBe(401);
    expect(await servedFromCache(b, rows, u)).toBe(true);
  }, 60_000);
});
