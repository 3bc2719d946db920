// Session.online in one process: true while a graphql-transport-ws socket of the session is open,
// false once its last one closes; one event per transition for the organisation's admins, not one
// per socket.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/process/config.js';
import { signIn, signUp } from './helpers/graphql.js';
import { orgEvents, subscribeOrg, untilOnline, waitForOrgEvent } from './helpers/live.js';
import { serverForFile } from './helpers/per-file.js';
import { openLive } from './helpers/ws.js';

const file = serverForFile();

describe('Session.online', () => {
  it('is true while a socket is open and false after it closes; never for a session without one', async () => {
    const u = await signUp(file.server);
    const phone = await signIn(file.server, u);
    await untilOnline(file.server, u.auth, phone.sessionId, false);
    await untilOnline(file.server, u.auth, u.sessionId, false);
    const socket = await openLive(file.server.wsUrl, { token: phone.token });
    await untilOnline(file.server, u.auth, phone.sessionId, true);
    await untilOnline(file.server, u.auth, u.sessionId, false);
    socket.close();
    await socket.closed;
    await untilOnline(file.server, u.auth, phone.sessionId, false);
  });

  it('stays true while one of two sockets of the session is open; one ONLINE and one OFFLINE for the admin', async () => {
    const owner = await signUp(file.server);
    const admin = await openLive(file.server.wsUrl, { token: owner.token });
    subscribeOrg(admin, owner.organizationId);
    // The admin's own socket is the organisation's first ONLINE: the subscription is live once it has that.
    const phone = await signIn(file.server, owner);
    await waitForOrgEvent(admin, (e) => e.type === 'CREATED' && e.session.id === phone.sessionId);
    const first = await openLive(file.server.wsUrl, { token: phone.token });
    const second = await openLive(file.server.wsUrl, { token: phone.token });
    const online = await waitForOrgEvent(admin, (e) => e.type === 'ONLINE' && e.session.id === phone.sessionId);
    expect(online.session.online).toBe(true);
    first.close();
    await first.closed;
    await untilOnline(file.server, owner.auth, phone.sessionId, true);
    second.close();
    await second.closed;
    const offline = await waitForOrgEvent(admin, (e) => e.type === 'OFFLINE' && e.session.id === phone.sessionId);
    expect(offline.session.online).toBe(false);
    await untilOnline(file.server, owner.auth, phone.sessionId, false);
    const ofPhone = orgEvents(admin).filter((e) => e.session.id === phone.sessionId).map((e) => e.type);
    expect(ofPhone).toEqual(['CREATED', 'ONLINE', 'OFFLINE']);
    admin.close();
  });

  it('reads a list of many sessions in one pass', async () => {
    const u = await signUp(file.server);
    const others = await Promise.all(Array.from({ length: 5 }, () => signIn(file.server, u)));
    const sockets = await Promise.all(others.slice(0, 3).map((s) => openLive(file.server.wsUrl, { token: s.token })));
    for (const s of others.slice(0, 3)) await untilOnline(file.server, u.auth, s.sessionId, true);
    for (const s of others.slice(3)) await untilOnline(file.server, u.auth, s.sessionId, false);
    sockets.forEach((s) => s.close());
  });
});

it('reads PRESENCE_TTL_SECONDS: whole seconds from 1 to 3600, 30 by default', () => {
  expect(loadConfig({}).presenceTtlMs).toBe(30_000);
  expect(loadConfig({ PRESENCE_TTL_SECONDS: '5' }).presenceTtlMs).toBe(5000);
  for (const bad of ['0', '-1', '1.5', '3601', 'soon']) expect(() => loadConfig({ PRESENCE_TTL_SECONDS: bad })).toThrow(/PRESENCE_TTL_SECONDS/);
});
