// @vitest-environment node
// The gateway's socket against a real graphql-transport-ws peer (the `ws` package) that closes
// with each of the server's codes: what the tab does about each. Node 20 has no WebSocket of its
// own: the browser's part is played by `ws`'s client.
import { createRequire } from 'node:module';
import path from 'node:path';
import { gql } from '@urql/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as PeerSocket, WebSocketServer as Server } from 'ws';
import type { Gateway, SocketState } from '../src/urql';
import { createGateway } from '../src/urql';

// By path: this config resolves packages with the browser condition, which gives `ws`'s stub.
const requireNode = createRequire(import.meta.url);
const wsLib = path.join(path.dirname(requireNode.resolve('ws/package.json')), 'lib');
const WebSocketServer = requireNode(path.join(wsLib, 'websocket-server.js')) as typeof Server;
(globalThis as { WebSocket?: unknown }).WebSocket = requireNode(path.join(wsLib, 'websocket.js'));

/** What the peer does with its nth connection (from 1) at connection_init. */
type Plan = (n: number) => { refuse: number } | { drop: true } | { ack: true; thenClose?: number };

let wss: Server;
let url = '';
let plan: Plan = () => ({ ack: true });
let connections = 0;
const sockets = new Set<PeerSocket>();

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'graphql-transport-ws' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `ws://127.0.0.1:${address.port}/graphql`;
  wss.on('connection', (socket) => {
    const n = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type !== 'connection_init') return;
      const step = plan(n);
      if ('drop' in step) return socket.terminate();
      if ('refuse' in step) return socket.close(step.refuse, step.refuse === 4403 ? 'REVOKED_BY_USER' : 'closing');
      socket.send(JSON.stringify({ type: 'connection_ack' }));
      if (step.thenClose) setTimeout(() => socket.close(step.thenClose, 'closing'), 50);
    });
  });
});

afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));

let gateway: Gateway | null = null;
let stop = () => {};

afterEach(() => {
  stop();
  gateway?.dispose();
  gateway = null;
  for (const socket of sockets) socket.terminate();
});

const EVENTS = gql`
  subscription Events {
    sessionEvents {
      type
    }
  }
`;

function open(random: () => number, p: Plan) {
  plan = p;
  connections = 0;
  const seen = { states: [] as SocketState[], revoked: [] as string[], reconnected: 0, unauthenticated: 0, results: 0 };
  gateway = createGateway(
    {
      onUnauthenticated: () => seen.unauthenticated++,
      onSocketState: (s) => seen.states.push(s),
      onSocketRevoked: (reason) => seen.revoked.push(reason),
      onReconnected: () => seen.reconnected++,
    },
    { url, random },
  );
  const { unsubscribe } = gateway.client.subscription(EVENTS, {}).subscribe(() => seen.results++);
  stop = unsubscribe;
  return seen;
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const last = (states: SocketState[]) => states[states.length - 1];

describe('the gateway socket and the close codes', () => {
  it('4403 at connection_init: the revocation hook with its reason, and no retry', async () => {
    const seen = open(Math.random, () => ({ refuse: 4403 }));
    await until(() => seen.revoked.length > 0);
    await pause(1500);
    expect(seen.revoked).toEqual(['REVOKED_BY_USER']);
    expect(connections).toBe(1);
    expect(seen.unauthenticated).toBe(0);
  });

  it('4403 on a live socket kicks too, without a retry', async () => {
    const seen = open(Math.random, () => ({ ack: true, thenClose: 4403 }));
    await until(() => seen.revoked.length > 0);
    await pause(1500);
    expect(connections).toBe(1);
    expect(seen.states).toEqual(['connecting', 'connected']);
  });

  it('1013 (the server cannot check the session): backoff, offline after three, never a kick; then back', async () => {
    const seen = open(() => 0, (n) => (n <= 5 ? { refuse: 1013 } : { ack: true }));
    await until(() => last(seen.states) === 'connected');
    expect(connections).toBe(6);
    expect(seen.revoked).toEqual([]);
    expect(seen.states).toContain('offline');
    expect(seen.states.indexOf('offline')).toBeGreaterThan(seen.states.indexOf('reconnecting'));
    expect(seen.reconnected).toBe(1);
  });

  it('1012 (service restart): reconnects within the jitter window, not counted as a failure', async () => {
    const seen = open(() => 0, (n) => (n <= 4 ? { ack: true, thenClose: 1012 } : { ack: true }));
    const started = Date.now();
    await until(() => connections === 5 && last(seen.states) === 'connected', 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 500);
    expect(seen.states).not.toContain('offline');
    expect(seen.reconnected).toBe(4);
    expect(seen.revoked).toEqual([]);
  });

  it('4008 (slow reader): reconnects at once and reports the reconnection (the list is refetched)', async () => {
    const seen = open(() => 0.99, (n) => (n === 1 ? { ack: true, thenClose: 4008 } : { ack: true }));
    const started = Date.now();
    await until(() => connections === 2 && last(seen.states) === 'connected');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(seen.reconnected).toBe(1);
  });

  it('a dropping server: keeps trying; Reconnect cuts the wait and starts the backoff over', { timeout: 20_000 }, async () => {
    const seen = open(() => 0.99, (n) => (n <= 4 ? { drop: true } : { ack: true }));
    await until(() => connections === 4 && last(seen.states) === 'offline', 15_000);
    // The fifth attempt would wait ~8 s: Reconnect starts it now.
    await pause(100);
    const asked = Date.now();
    gateway!.reconnectNow(true);
    await until(() => last(seen.states) === 'connected');
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(seen.states).toContain('reconnecting');
    expect(seen.revoked).toEqual([]);
  });
});
