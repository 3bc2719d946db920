// Presence and the organisation feed across two instances sharing Redis: a socket held by B makes
// `online` true when asked through A, an admin following on A hears B's sign-ins, sockets and
// revocations, and a SIGKILLed B's sessions go offline within PRESENCE_TTL_SECONDS. Runs in the
// postgres project (a shared database).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { joinAs, ok, signIn, signUp } from './helpers/graphql.js';
import { following, MY_SESSIONS_ONLINE, REVOKE, subscribeOrg, untilOnline, waitForOrgEvent } from './helpers/live.js';
import type { GatewayProcess } from './helpers/process.js';
import { spawnGateway } from './helpers/process.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const TTL_SECONDS = 2;
const SET_ROLE = graphql(`mutation PresenceRedisSetRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }`);

describe.skipIf(!databaseUrl || !redisUrl)('presence across two instances', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  const env = () => ({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl!, PRESENCE_TTL_SECONDS: String(TTL_SECONDS) });
  beforeAll(async () => {
    [a, b] = await Promise.all([spawnGateway(env()), spawnGateway(env())]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("an admin on A hears B's sign-ins, sockets and revocations; online through A follows B's socket", async () => {
    const owner = await signUp(a);
    const { home, inOrg } = await joinAs(a, owner, 'MEMBER');
    const admin = await openLive(a.wsUrl, { token: owner.token });
    subscribeOrg(admin, owner.organizationId);
    let tab: Awaited<ReturnType<typeof signIn>> | undefined;
    for (let attempt = 0; attempt < 50 && !tab; attempt++) {
      const s = await signIn(b, home, owner.organizationId);
      if (await waitForOrgEvent(admin, (e) => e.type === 'CREATED' && e.session.id === s.sessionId, 'org', 200).catch(() => null)) tab = s;
    }
    if (!tab) throw new Error('no CREATED from B');
    const onB = await openLive(b.wsUrl, { token: tab.token });
    expect(await waitForOrgEvent(admin, (e) => e.type === 'ONLINE' && e.session.id === tab.sessionId, 'org', 10_000)).toMatchObject({ session: { online: true } });
    await untilOnline(a, inOrg.auth, tab.sessionId, true);
    onB.close();
    await waitForOrgEvent(admin, (e) => e.type === 'OFFLINE' && e.session.id === tab.sessionId, 'org', 10_000);
    await untilOnline(a, inOrg.auth, tab.sessionId, false);
    await ok(b, REVOKE, { id: tab.sessionId }, inOrg.auth);
    expect(await waitForOrgEvent(admin, (e) => e.type === 'REVOKED' && e.session.id === tab.sessionId, 'org', 10_000)).toMatchObject({ reason: 'REVOKED_BY_USER' });
    admin.close();
  });

  it('a demotion made through B ends the subscription held by A with FORBIDDEN', async () => {
    const owner = await signUp(a);
    const { home, inOrg } = await joinAs(a, owner, 'ADMIN');
    const socket = await following(a, inOrg.token, owner.organizationId, () => signIn(b, owner));
    await ok(b, SET_ROLE, { input: { organizationId: owner.organizationId, userId: home.userId, role: 'MEMBER' } }, owner.auth);
    const ended = await socket.waitForFrame((f) => f.id === 'org' && f.type === 'error', 10_000);
    expect((ended.payload as { extensions: { code: string } }[])[0]?.extensions.code).toBe('FORBIDDEN');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('a list of sessions held by B, asked through A: one Redis call for all their `online`', async () => {
    const u = await signUp(a);
    const tabs = await Promise.all(Array.from({ length: 6 }, () => signIn(a, u)));
    const sockets = await Promise.all(tabs.slice(0, 4).map((t) => openLive(b.wsUrl, { token: t.token })));
    for (const t of tabs.slice(0, 4)) await untilOnline(a, u.auth, t.sessionId, true, 10_000);
    const monitor = await new Redis(redisUrl!).monitor();
    const reads: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      // The read script (live/presence-redis.ts READ), not the instances' heartbeats or writes.
      if (String(args[0]).toLowerCase() === 'eval' && String(args[1]).includes('out[#out + 1]') && tabs.some((t) => args.includes(t.sessionId))) reads.push(args);
    });
    await new Promise((r) => setTimeout(r, 100));
    const { sessions } = await ok(a, MY_SESSIONS_ONLINE, undefined, u.auth);
    await new Promise((r) => setTimeout(r, 200));
    monitor.disconnect();
    expect(sessions.filter((s) => s.online).map((s) => s.id).sort()).toEqual(tabs.slice(0, 4).map((t) => t.sessionId).sort());
    expect(reads).toHaveLength(1);
    expect(tabs.every((t) => reads[0]?.includes(t.sessionId))).toBe(true);
    sockets.forEach((s) => s.close());
  });

  it(`the sessions of a SIGKILLed instance go offline within PRESENCE_TTL_SECONDS (${TTL_SECONDS} s), and an admin hears OFFLINE`, async () => {
    const c = await spawnGateway(env());
    const u = await signUp(a);
    const admin = await following(a, u.token, u.organizationId, () => signIn(b, u));
    const phone = await signIn(a, u);
    const socket = await openLive(c.wsUrl, { token: phone.token });
    await waitForOrgEvent(admin, (e) => e.type === 'ONLINE' && e.session.id === phone.sessionId, 'org', 10_000);
    await untilOnline(a, u.auth, phone.sessionId, true, 10_000);
    const killed = Date.now();
    await c.stop('SIGKILL');
    await socket.closed;
    const took = await untilOnline(a, u.auth, phone.sessionId, false, (TTL_SECONDS + 2) * 1000);
    console.log(`PRESENCE SIGKILL → offline through A: ${Date.now() - killed} ms (poll ${took} ms)`);
    expect(Date.now() - killed).toBeLessThanOrEqual((TTL_SECONDS + 1) * 1000);
    // Reaped by the first instance to beat after the TTL: within TTL + a third of it.
    const offline = await waitForOrgEvent(admin, (e) => e.type === 'OFFLINE' && e.session.id === phone.sessionId, 'org', (TTL_SECONDS + 2) * 1000);
    expect(offline.session.online).toBe(false);
    console.log(`PRESENCE SIGKILL → OFFLINE event on A: ${Date.now() - killed} ms`);
    admin.close();
  }, 60_000);
});
