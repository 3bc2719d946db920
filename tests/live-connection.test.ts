// Live sessions over graphql-ws, connecting: who may open a socket, how misuse closes only the
// offending socket, and that closed, refused and kicked sockets are forgotten.
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { TestUser } from './helpers/graphql.js';
import { gql, ok, signIn, signUp } from './helpers/graphql.js';
import { live } from './helpers/live.js';
import { serverForFile } from './helpers/per-file.js';
import { startServer } from './helpers/server.js';
import type { LiveSocket } from './helpers/ws.js';
import { openLive, untilStreams } from './helpers/ws.js';

const file = serverForFile();

describe('connection', () => {
  it('refuses a socket without a valid session with 4403', async () => {
    for (const options of [{}, { token: 'A'.repeat(43) }, { params: { authorization: 'garbage' } }, { cookie: 'sg_session=nope' }]) {
      const socket = await openLive(file.server.wsUrl, options);
      expect((await socket.closed).code).toBe(4403);
    }
  });

  it('accepts the session cookie of the upgrade request from the gateway\'s own origin, and refuses another origin', async () => {
    const u = await signUp(file.server);
    const own = await openLive(file.server.wsUrl, { cookie: `sg_session=${u.token}`, origin: file.server.url });
    expect(own.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    own.close();
    const evil = await openLive(file.server.wsUrl, { cookie: `sg_session=${u.token}`, origin: 'https://evil.example' });
    expect((await evil.closed).code).toBe(403);
    // a bearer token in connectionParams carries no ambient authority: any origin may use it
    const api = await openLive(file.server.wsUrl, { token: u.token, origin: 'https://tool.example' });
    expect(api.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    api.close();
  });

  it('refuses a subscription over plain HTTP', async () => {
    const u = await signUp(file.server);
    const res = await gql(file.server, graphql(`subscription SessionEventTypes { sessionEvents { type } }`), undefined, u.auth);
    expect(res.errors?.[0]?.extensions?.code).toBeDefined();
  });
});

describe('protocol misuse', () => {
  async function ready(): Promise<{ socket: LiveSocket; bystander: LiveSocket; u: TestUser }> {
    const u = await signUp(file.server);
    const [bystander] = await live(file.server, u);
    const socket = await openLive(file.server.wsUrl, { token: u.token });
    return { socket, bystander: bystander!, u };
  }

  async function bystanderStillWorks(bystander: LiveSocket, u: TestUser): Promise<void> {
    const fresh = await signIn(file.server, u);
    await bystander.waitForEvent((e) => e.type === 'CREATED' && e.session.id === fresh.sessionId);
    // The next case counts streams from where this one leaves them: its stream must be gone first.
    const held = file.server.app.registry.stats().streams;
    bystander.close();
    await bystander.closed;
    const deadline = Date.now() + 3000;
    while (file.server.app.registry.stats().streams >= held && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
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
    const u = await signUp(file.server);
    const socket = await openLive(file.server.wsUrl, { token: u.token, init: false });
    socket.subscribe();
    expect((await socket.closed).code).toBe(4401);
  });

  it('no connection_init within the timeout closes with 4408', async () => {
    const socket = await openLive(file.server.wsUrl, { init: false });
    expect((await socket.closed).code).toBe(4408);
  }, 15_000);

  it('an invalid subscription document is an error message, not a close', async () => {
    const u = await signUp(file.server);
    const socket = await openLive(file.server.wsUrl, { token: u.token });
    // Invalid on purpose: a text document, not a generated one.
    socket.subscribe('bad', 'subscription { nope }');
    const frame = await socket.waitForFrame((f) => f.type === 'error');
    expect(JSON.stringify(frame.payload)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
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
      await ok(own, graphql(`mutation SignOut { signOut }`), undefined, users[0]!.auth); // kicks two sockets
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
