// Baseline for scenarios 3 and 4: a bare `ws` server that speaks just enough graphql-transport-ws
// for the same client code (init → ack, subscribe), and on POST /kick sends each chosen socket
// one `next` + `complete` and closes it with 4403, like the gateway's kick but with nothing else.
import { createServer } from 'node:http';
import { writeHeapSnapshot } from 'node:v8';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { measuredMemory, serveIpc } from '../lib/ipc.js';

interface Held {
  socket: WebSocket;
  /** The token from connection_init: the client uses it as this socket's session id. */
  id: string;
  subscriptionId: string | null;
}

const byId = new Map<string, Held>();
let streams = 0;

/** The same fields as the gateway's answer to the web app's subscription (bench/procs/ws-client.ts). */
function eventFrame(subscriptionId: string, sessionId: string, reason: string): string {
  const now = new Date().toISOString();
  const session = {
    id: sessionId,
    browser: 'Chrome 131',
    os: 'Linux',
    device: 'desktop',
    ipAddress: '127.0.0.1',
    location: 'Local network',
    role: 'OWNER',
    isCurrent: true,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now,
    organization: { id: '0b6b3b57-6a0e-4ab6-9d1e-3f1c8d9a4f21', name: 'Bench organisation 1' },
  };
  return JSON.stringify({ id: subscriptionId, type: 'next', payload: { data: { sessionEvents: { type: 'REVOKED', reason, session } } } });
}

function kick(held: Held, reason: string): void {
  const sub = held.subscriptionId ?? '1';
  held.socket.send(eventFrame(sub, held.id, reason));
  held.socket.send(JSON.stringify({ id: sub, type: 'complete' }));
  held.socket.close(4403, reason);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    // ids: the sockets to kick (all when absent); notifyOthers: also send every other socket the
    // event, as the gateway does for the user's other tabs on a single revocation.
    const { ids, notifyOthers } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { ids?: string[]; notifyOthers?: boolean };
    const targets = ids ? ids.map((id) => byId.get(id)).filter((h): h is Held => h !== undefined) : [...byId.values()];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { kicked: targets.length } }));
    const reason = ids ? 'REVOKED_BY_USER' : 'REVOKED_OTHER_SESSIONS';
    for (const held of targets) kick(held, reason);
    if (notifyOthers) {
      const kicked = new Set(targets);
      for (const held of byId.values()) {
        if (kicked.has(held)) continue;
        for (const target of targets) held.socket.send(eventFrame(held.subscriptionId ?? '1', target.id, reason));
      }
    }
  });
});
const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
wss.on('connection', (socket) => {
  let held: Held | null = null;
  socket.on('error', () => undefined);
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; id?: string; payload?: { authorization?: string } };
    if (frame.type === 'connection_init') {
      const id = (frame.payload?.authorization ?? '').replace(/^Bearer /, '');
      held = { socket, id, subscriptionId: null };
      byId.set(id, held);
      socket.send('{"type":"connection_ack"}');
    } else if (frame.type === 'subscribe' && held) {
      held.subscriptionId = frame.id ?? '1';
      streams++;
    } else if (frame.type === 'ping') {
      socket.send('{"type":"pong"}');
    }
  });
  socket.on('close', () => {
    if (!held) return;
    byId.delete(held.id);
    if (held.subscriptionId !== null) streams--;
  });
});
server.keepAliveTimeout = 5000;
// The gateway's accept queue (server/app.ts), so that a storm meets the same kernel limits.
await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
serveIpc(
  {
    mem: () => measuredMemory(),
    heapSnapshot: (a: { file: string }) => {
      measuredMemory();
      return writeHeapSnapshot(a.file);
    },
    stats: () => ({ connections: byId.size, streams, clients: wss.clients.size }),
  },
  { url },
  async () => {
    for (const client of wss.clients) client.terminate();
    server.closeAllConnections();
    server.close();
  },
);
