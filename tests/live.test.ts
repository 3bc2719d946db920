// Live sessions over graphql-ws: revoked sockets hear it and are closed with 4403 at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './helpers/graphql.js';
import { addMember, createOrganization, gql, ok, signIn, signUp } from './helpers/graphql.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';
import type { LiveSocket } from './helpers/ws.js';
import { openLive, untilStreams } from './helpers/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const REVOKE = 'mutation($id: ID!) { revokeSession(id: $id) { id } }';
const stats = () => server.app.registry.stats();

/** Opens a subscribed socket for each user session and waits until the server holds them all. */
async function live(...users: TestUser[]): Promise<LiveSocket[]> {
  const before = stats().streams;
  const sockets = await Promise.all(users.map((u) => openLive(server.wsUrl, { token: u.token })));
  sockets.forEach((s) => s.subscribe());
  await untilStreams(stats, before + users.length);
  return sockets;
}

describe('connection', () => {
  it('refuses a socket without a valid session with 4403', async () => {
    for (const options of [{}, { token: 'A'.repeat(43) }, { params: { authorization: 'garbage' } }, { cookie: 'sg_session=nope' }]) {
      const socket = await openLive(server.wsUrl, options);
      expect((await socket.closed).code).toBe(4403);
    }
  });

  it('accepts the session cookie of the upgrade request from the gateway\'s own origin, and refuses another origin', async () => {
    const u = await signUp(server);
    const own = await openLive(server.wsUrl, { cookie: `sg_session=${u.token}`, origin: server.url });
    expect(own.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    own.close();
    const evil = await openLive(server.wsUrl, { cookie: `sg_session=${u.token}`, origin: 'https://evil.example' });
    expect((await evil.closed).code).toBe(403);
    // a bearer token in connectionParams carries no ambient authority: any origin may use it
    const api = await openLive(server.wsUrl, { token: u.token, origin: 'https://tool.example' });
    expect(api.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    api.close();
  });

  it('refuses a subscription over plain HTTP', async () => {
    const u = await signUp(server);
    const res = await gql(server, 'subscription { sessionEvents { type } }', undefined, u.auth);
    expect(res.errors?.[0]?.extensions?.code).toBeDefined();
  });
});

describe('revocation kicks', () => {
  it('revokeSession: the revoked socket gets its own REVOKED event, then a 4403 close; the other tab sees the change', async () => {
    const u = await signUp(server);
    const phone = await signIn(server, u);
    const [laptopSocket, phoneSocket] = await live(u, phone);
    const sent = performance.now();
    await ok(server, REVOKE, { id: phone.sessionId }, u.auth);
    const own = await phoneSocket!.waitForEvent((e) => e.type === 'REVOKED');
    const closed = await phoneSocket!.closed;
    expect(own).toMatchObject({ reason: 'REVOKED_BY_USER', session: { id: phone.sessionId, isCurrent: true } });
    expect(closed.code).toBe(4403);
    expect(closed.at).toBeGreaterThanOrEqual(own.at);
    expect(phoneSocket!.events).toHaveLength(1);
    const seen = await laptopSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === phone.sessionId);
    expect(seen.session.isCurrent).toBe(false);
    // From the request: the local kick runs before the mutation answers, so a time from the answer can be negative.
    console.log(`KICK revokeSession: request sent→close ${(closed.at - sent).toFixed(1)} ms`);
    laptopSocket!.close();
  });

  it('a revoked session that reconnects is refused', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    await ok(server, REVOKE, { id: other.sessionId }, u.auth);
    const again = await openLive(server.wsUrl, { token: other.token });
    expect((await again.closed).code).toBe(4403);
  });

  it('revokeOtherSessions: each revoked socket hears only its own event (no quadratic fan-out)', async () => {
    const u = await signUp(server);
    const orgB = await createOrganization(server, u);
    const others = [await signIn(server, u), await signIn(server, u, orgB), await signIn(server, u, orgB)];
    const current = await signIn(server, u);
    const [currentSocket, ...otherSockets] = await live(current, ...others);
    // From the request: the local kick runs before the mutation answers.
    const sent = performance.now();
    const res = await ok<{ revokeOtherSessions: { revokedCount: number } }>(server, 'mutation { revokeOtherSessions { revokedCount } }', undefined, current.auth);
    expect(res.revokeOtherSessions.revokedCount).toBe(4);
    const closes = await Promise.all(otherSockets.map((s) => s.closed));
    expect(closes.map((c) => c.code)).toEqual([4403, 4403, 4403]);
    otherSockets.forEach((s, i) => {
      expect(s.events).toHaveLength(1);
      expect(s.events[0]).toMatchObject({ type: 'REVOKED', reason: 'REVOKED_OTHER_SESSIONS', session: { id: others[i]!.sessionId, isCurrent: true } });
    });
    await currentSocket!.waitForEvent(() => currentSocket!.events.filter((e) => e.type === 'REVOKED').length === 4);
    expect(currentSocket!.ws.readyState).toBe(currentSocket!.ws.OPEN);
    console.log(`KICK revokeOtherSessions: request sent→last close ${(Math.max(...closes.map((c) => c.at)) - sent).toFixed(1)} ms`);
    currentSocket!.close();
  });

  it('signOut closes the sockets of the signed-out session', async () => {
    const u = await signUp(server);
    const [a, b] = await live(u, u);
    await ok(server, 'mutation { signOut }', undefined, u.auth);
    for (const socket of [a!, b!]) {
      expect((await socket.closed).code).toBe(4403);
      expect(socket.events[0]).toMatchObject({ type: 'REVOKED', reason: 'SIGNED_OUT' });
    }
  });

  it('switchOrganization closes the sockets of the session it replaces, and the other tab sees both changes', async () => {
    const u = await signUp(server);
    const orgB = await createOrganization(server, u);
    const watcher = await signIn(server, u);
    const [switching, watching] = await live(u, watcher);
    const switched = await ok<{ switchOrganization: { session: { id: string } } }>(server, 'mutation($id: ID!) { switchOrganization(organizationId: $id) { session { id } } }', { id: orgB }, u.auth);
    expect((await switching!.closed).code).toBe(4403);
    // it may first see the new session appear (CREATED); its own REVOKED is always the last word
    expect(switching!.events.at(-1)).toMatchObject({ type: 'REVOKED', reason: 'ORGANIZATION_SWITCHED', session: { id: u.sessionId, isCurrent: true } });
    await watching!.waitForEvent((e) => e.type === 'CREATED' && e.session.id === switched.switchOrganization.session.id);
    await watching!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === u.sessionId);
    watching!.close();
  });

  it('a sign-in elsewhere appears on the open tab as CREATED', async () => {
    const u = await signUp(server);
    const [tab] = await live(u);
    const phone = await signIn(server, u);
    const event = await tab!.waitForEvent((e) => e.type === 'CREATED');
    expect(event.session).toMatchObject({ id: phone.sessionId, isCurrent: false });
    tab!.close();
  });

  it('member removal closes that member\'s sockets in the organisation; a role change sends UPDATED', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, owner.organizationId, member.email, 'MEMBER');
    const inTeam = await signIn(server, member, owner.organizationId);
    const [teamSocket, homeSocket] = await live(inTeam, member);
    await ok(server, 'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }', { input: { organizationId: owner.organizationId, userId: member.userId, role: 'ADMIN' } }, owner.auth);
    const updated = await teamSocket!.waitForEvent((e) => e.type === 'UPDATED');
    expect(updated).toMatchObject({ reason: 'ROLE_CHANGED', session: { id: inTeam.sessionId, isCurrent: true } });
    await ok(server, 'mutation($input: RemoveMemberInput!) { removeMember(input: $input) { role } }', { input: { organizationId: owner.organizationId, userId: member.userId } }, owner.auth);
    expect((await teamSocket!.closed).code).toBe(4403);
    expect(teamSocket!.events.at(-1)).toMatchObject({ type: 'REVOKED', reason: 'MEMBER_REMOVED' });
    await homeSocket!.waitForEvent((e) => e.type === 'REVOKED' && e.session.id === inTeam.sessionId);
    expect(homeSocket!.ws.readyState).toBe(homeSocket!.ws.OPEN);
    homeSocket!.close();
  });

  it('checks the session again on every subscribe', async () => {
    // Without the session cache (as with Redis), where the database is read on every check.
    const uncached = await startServer({ sessionCacheTtlMs: 0 });
    try {
      const u = await signUp(uncached);
      const socket = await openLive(uncached.wsUrl, { token: u.token });
      // revoked behind the gateway's back: no event is published, so only the subscribe check can see it
      await uncached.app.services.prisma.session.update({ where: { id: u.sessionId }, data: { revokedAt: new Date(), revokedReason: 'TEST' } });
      socket.subscribe();
      expect((await socket.closed).code).toBe(4403);
    } finally {
      await uncached.stop();
    }
  });
});

describe('expiry', () => {
  it('closes a socket when its session expires, on time, without any request', async () => {
    const shortLived = await startServer({ sessionLifetimeMs: 2000 });
    try {
      const u = await signUp(shortLived);
      const socket = await openLive(shortLived.wsUrl, { token: u.token });
      socket.subscribe();
      await untilStreams(() => shortLived.app.registry.stats(), 1);
      const created = await shortLived.app.services.prisma.session.findUniqueOrThrow({ where: { id: u.sessionId } });
      const closed = await socket.closed;
      expect(closed.code).toBe(4403);
      expect(socket.events[0]).toMatchObject({ type: 'REVOKED', reason: 'EXPIRED' });
      const lateByMs = Date.now() - created.expiresAt.getTime();
      expect(lateByMs).toBeLessThan(1500);
      console.log(`KICK expiry: closed ${lateByMs} ms after expiresAt`);
      const deadline = Date.now() + 2000;
      while (shortLived.app.registry.stats().connections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(shortLived.app.registry.stats().connections).toBe(0);
    } finally {
      await shortLived.stop();
    }
  });
});

describe('protocol misuse', () => {
  async function ready(): Promise<{ socket: LiveSocket; bystander: LiveSocket; u: TestUser }> {
    const u = await signUp(server);
    const [bystander] = await live(u);
    const socket = await openLive(server.wsUrl, { token: u.token });
    return { socket, bystander: bystander!, u };
  }

  async function bystanderStillWorks(bystander: LiveSocket, u: TestUser): Promise<void> {
    const fresh = await signIn(server, u);
    await bystander.waitForEvent((e) => e.type === 'CREATED' && e.session.id === fresh.sessionId);
    bystander.close();
  }

  it.each([
    ['a message that is not JSON', (s: LiveSocket) => s.send('{{{ not json'), 4400],
    ['a message of an unknown type', (s: LiveSocket) => s.send({ type: 'bogus' }), 4400],
    ['a second connection_init', (s: LiveSocket) => s.send({ type: 'connection_init' }), 4429],
    ['a duplicate operation id', (s: LiveSocket) => { s.subscribe('dup'); s.subscribe('dup'); }, 4409],
    ['a frame over 64 KiB', (s: LiveSocket) => s.send({ type: 'ping', payload: { junk: 'x'.repeat(70 * 1024) } }), 1009],
  ] as const)('%s closes that socket only', async (_label, misuse, code) => {
    const { socket, bystander, u } = await ready();
    misuse(socket);
    expect((await socket.closed).code).toBe(code);
    await bystanderStillWorks(bystander, u);
  });

  it('a subscribe before connection_init closes with 4401', async () => {
    const u = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: u.token, init: false });
    socket.subscribe();
    expect((await socket.closed).code).toBe(4401);
  });

  it('no connection_init within the timeout closes with 4408', async () => {
    const socket = await openLive(server.wsUrl, { init: false });
    expect((await socket.closed).code).toBe(4408);
  }, 15_000);

  it('an invalid subscription document is an error message, not a close', async () => {
    const u = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.subscribe('bad', 'subscription { nope }');
    const frame = await socket.waitForFrame((f) => f.type === 'error');
    expect(JSON.stringify(frame.payload)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });
});

describe('the graphql-transport-ws protocol', () => {
  it('answers a query and a mutation over the socket with next, then complete', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.subscribe('q', '{ me { id } sessions { id isCurrent } }');
    const next = await socket.waitForFrame((f) => f.type === 'next' && f.id === 'q');
    const data = (next.payload as { data: { me: { id: string }; sessions: { id: string; isCurrent: boolean }[] } }).data;
    expect(data.me.id).toBe(u.userId);
    expect(data.sessions.filter((s) => s.isCurrent).map((s) => s.id)).toEqual([u.sessionId]);
    await socket.waitForFrame((f) => f.type === 'complete' && f.id === 'q');
    socket.send({ type: 'subscribe', id: 'm', payload: { query: REVOKE, variables: { id: other.sessionId } } });
    const revoked = await socket.waitForFrame((f) => f.type === 'next' && f.id === 'm');
    expect(revoked.payload).toEqual({ data: { revokeSession: { id: other.sessionId } } });
    expect((await gql(server, '{ me { id } }', undefined, other.auth)).code).toBe('UNAUTHENTICATED');
    socket.close();
  });

  it('a coded error in a query result is sent as next, without internal detail', async () => {
    const u = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.send({ type: 'subscribe', id: 'e', payload: { query: REVOKE, variables: { id: u.sessionId } } });
    const next = await socket.waitForFrame((f) => f.type === 'next' && f.id === 'e');
    const errors = (next.payload as { errors: { extensions: Record<string, unknown> }[] }).errors;
    expect(errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(errors[0]!.extensions.http).toBeUndefined();
    await socket.waitForFrame((f) => f.type === 'complete' && f.id === 'e');
    socket.close();
  });

  it('complete from the client ends the subscription: no more events, the stream is released', async () => {
    const u = await signUp(server);
    const [socket] = await live(u);
    const streams = stats().streams;
    socket!.send({ type: 'complete', id: '1' });
    const deadline = Date.now() + 3000;
    while (stats().streams >= streams && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(stats().streams).toBe(streams - 1);
    await signIn(server, u);
    // A ping's pong comes after anything the server had to send before it.
    socket!.send({ type: 'ping', payload: { n: 1 } });
    expect((await socket!.waitForFrame((f) => f.type === 'pong')).payload).toEqual({ n: 1 });
    expect(socket!.events).toEqual([]);
    // The id is free again.
    socket!.subscribe('1');
    await untilStreams(stats, streams);
    socket!.close();
  });

  it('a revoked socket\'s own REVOKED event still resolves its session\'s role', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    const socket = await openLive(server.wsUrl, { token: other.token });
    const before = stats().streams;
    socket.subscribe('1', 'subscription { sessionEvents { type session { id role isCurrent } } }');
    await untilStreams(stats, before + 1);
    await ok(server, REVOKE, { id: other.sessionId }, u.auth);
    const next = await socket.waitForFrame((f) => f.type === 'next');
    expect(next.payload).toEqual({ data: { sessionEvents: { type: 'REVOKED', session: { id: other.sessionId, role: 'OWNER', isCurrent: true } } } });
    expect((await socket.closed).code).toBe(4403);
  });

  it('change events carry each session\'s role as of the change, as a browser tab asks for it', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, owner.organizationId, member.email, 'MEMBER');
    const home = await openLive(server.wsUrl, { token: member.token });
    const before = stats().streams;
    home.subscribe('1', 'subscription { sessionEvents { type reason session { id role isCurrent revokedAt organization { id } } } }');
    await untilStreams(stats, before + 1);
    const inTeam = await signIn(server, member, owner.organizationId);
    const created = await home.waitForFrame((f) => f.type === 'next');
    expect(created.payload).toEqual({ data: { sessionEvents: { type: 'CREATED', reason: null, session: { id: inTeam.sessionId, role: 'MEMBER', isCurrent: false, revokedAt: null, organization: { id: owner.organizationId } } } } });
    const roleInput = { organizationId: owner.organizationId, userId: member.userId, role: 'ADMIN' };
    await ok(server, 'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { role } }', { input: roleInput }, owner.auth);
    const updated = await home.waitForFrame((f) => f.type === 'next' && JSON.stringify(f.payload).includes('UPDATED'));
    expect(updated.payload).toEqual({ data: { sessionEvents: { type: 'UPDATED', reason: 'ROLE_CHANGED', session: { id: inTeam.sessionId, role: 'ADMIN', isCurrent: false, revokedAt: null, organization: { id: owner.organizationId } } } } });
    await ok(server, REVOKE, { id: inTeam.sessionId }, member.auth);
    const revoked = await home.waitForFrame((f) => f.type === 'next' && JSON.stringify(f.payload).includes('REVOKED'));
    // The revocation's row in the database is the one the event showed (the statement returns it).
    const row = await server.app.services.prisma.session.findUniqueOrThrow({ where: { id: inTeam.sessionId } });
    expect(row.revokedReason).toBe('REVOKED_BY_USER');
    expect(Math.abs(row.revokedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(revoked.payload).toEqual({ data: { sessionEvents: { type: 'REVOKED', reason: 'REVOKED_BY_USER', session: { id: inTeam.sessionId, role: 'ADMIN', isCurrent: false, revokedAt: row.revokedAt!.toISOString(), organization: { id: owner.organizationId } } } } });
    home.close();
  });

  it('a kicked subscription whose fields need a query still gets its REVOKED event, then complete, then the close', async () => {
    const u = await signUp(server);
    const other = await signIn(server, u);
    const socket = await openLive(server.wsUrl, { token: other.token });
    const before = stats().streams;
    // members is read from the database: the event is executed asynchronously, and the close waits for it.
    socket.subscribe('1', 'subscription { sessionEvents { type session { id organization { members { role } } } } }');
    await untilStreams(stats, before + 1);
    await ok(server, REVOKE, { id: other.sessionId }, u.auth);
    expect((await socket.closed).code).toBe(4403);
    const after = socket.frames.filter((f) => f.type !== 'connection_ack').map((f) => f.type);
    expect(after).toEqual(['next', 'complete']);
    expect(socket.frames.find((f) => f.type === 'next')?.payload).toEqual({ data: { sessionEvents: { type: 'REVOKED', session: { id: other.sessionId, organization: { members: [{ role: 'OWNER' }] } } } } });
  });

  it('a sign-in over the socket answers with the new session\'s role, not the socket\'s user\'s', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    const orgId = await createOrganization(server, owner, 'Roles Org');
    await addMember(server, owner, orgId, member.email, 'MEMBER');
    const socket = await openLive(server.wsUrl, { token: owner.token });
    const input = { email: member.email, password: member.password, organizationId: orgId };
    socket.send({ type: 'subscribe', id: 's', payload: { query: 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } session { role isCurrent organization { id } } } }', variables: { input } } });
    const next = await socket.waitForFrame((f) => f.type === 'next' && f.id === 's');
    expect(next.payload).toEqual({ data: { signIn: { user: { id: member.userId }, session: { role: 'MEMBER', isCurrent: true, organization: { id: orgId } } } } });
    socket.close();
  });

  it('an operation name that names no operation is an error message', async () => {
    const u = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: u.token });
    socket.send({ type: 'subscribe', id: 'x', payload: { query: 'query A { me { id } }', operationName: 'B' } });
    const frame = await socket.waitForFrame((f) => f.type === 'error' && f.id === 'x');
    const errors = frame.payload as { extensions?: { code?: unknown } }[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => typeof e.extensions?.code === 'string')).toBe(true);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('a duplicate id too long for a close reason still closes with 4409', async () => {
    const u = await signUp(server);
    const socket = await openLive(server.wsUrl, { token: u.token });
    const id = 'é'.repeat(100);
    socket.subscribe(id);
    socket.subscribe(id);
    expect(await socket.closed).toMatchObject({ code: 4409, reason: 'Subscriber already exists' });
  });

  it('refuses a socket without the graphql-transport-ws subprotocol with 4406', async () => {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(server.wsUrl);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4406);
  });
});

describe('no leaks', () => {
  it('forgets the sockets of closed, refused and kicked connections', async () => {
    const own = await startServer();
    const ownStats = () => own.app.registry.stats();
    try {
      const users = await Promise.all([signUp(own), signUp(own), signUp(own)]);
      const sockets = await Promise.all([...users, ...users].map((u) => openLive(own.wsUrl, { token: u.token })));
      sockets.forEach((s) => s.subscribe());
      await untilStreams(ownStats, 6);
      expect(ownStats()).toEqual({ connections: 6, sessions: 3, users: 3, streams: 6 });
      await openLive(own.wsUrl, { token: 'C'.repeat(43) }).then((s) => s.closed);
      await ok(own, 'mutation { signOut }', undefined, users[0]!.auth); // kicks two sockets
      sockets.forEach((s) => s.close());
      await Promise.all(sockets.map((s) => s.closed));
      const deadline = Date.now() + 3000;
      while (ownStats().connections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(ownStats()).toEqual({ connections: 0, sessions: 0, users: 0, streams: 0 });
      expect(own.app.sockets.clients()).toBe(0);
    } finally {
      await own.stop();
    }
  });
});
