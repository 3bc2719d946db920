// LIVE_WORKER: the worker holds the sockets and tells the gateway its presence over IPC. The
// gateway answers `online` over HTTP, the worker's admin subscriptions hear the transitions, and a
// worker that dies takes its sessions offline. Runs in the postgres project (LIVE_WORKER needs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAs, signIn, signUp } from './helpers/graphql.js';
import { following, untilOnline, waitForOrgEvent } from './helpers/live.js';
import type { GatewayProcess } from './helpers/process.js';
import { spawnGateway } from './helpers/process.js';
import { openLive } from './helpers/ws.js';

const databaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!databaseUrl)('presence with the sockets in a live worker', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await spawnGateway({ DATABASE_URL: databaseUrl!, LIVE_WORKER: '1' });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  it("online over HTTP follows the worker's sockets; the admin following through the worker hears ONLINE and OFFLINE", async () => {
    const owner = await signUp(gateway);
    const { home, inOrg } = await joinAs(gateway, owner, 'MEMBER');
    const admin = await following(gateway, owner.token, owner.organizationId, () => signIn(gateway, owner));
    const tab = await signIn(gateway, home, owner.organizationId);
    const socket = await openLive(gateway.wsUrl, { token: tab.token });
    expect(await waitForOrgEvent(admin, (e) => e.type === 'ONLINE' && e.session.id === tab.sessionId)).toMatchObject({ session: { online: true } });
    await untilOnline(gateway, inOrg.auth, tab.sessionId, true);
    socket.close();
    await waitForOrgEvent(admin, (e) => e.type === 'OFFLINE' && e.session.id === tab.sessionId);
    await untilOnline(gateway, inOrg.auth, tab.sessionId, false);
    admin.close();
  });

  it('a worker SIGKILLed takes its sessions offline', async () => {
    const u = await signUp(gateway);
    const phone = await signIn(gateway, u);
    const socket = await openLive(gateway.wsUrl, { token: phone.token });
    await untilOnline(gateway, u.auth, phone.sessionId, true);
    const line = gateway.logs.filter((l) => l.includes('"msg":"live worker ready"')).at(-1) ?? '';
    process.kill((JSON.parse(line) as { pid: number }).pid, 'SIGKILL');
    await socket.closed;
    await untilOnline(gateway, u.auth, phone.sessionId, false);
    // The next worker holds sockets again (and the gateway is not stopped while it starts).
    for (let i = 0; gateway.logs.filter((l) => l.includes('"msg":"live worker ready"')).length < 2; i++) {
      if (i > 600) throw new Error('no second live worker');
      await new Promise((r) => setTimeout(r, 50));
    }
    const again = await openLive(gateway.wsUrl, { token: phone.token });
    await untilOnline(gateway, u.auth, phone.sessionId, true);
    again.close();
  }, 60_000);
});
