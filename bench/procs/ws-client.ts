// The socket client of scenarios 3–6: opens many graphql-transport-ws sockets (one session each),
// subscribes them, and times each socket's REVOKED event and close from the moment the
// revoking request returns. The same code measures the gateway and the bare `ws` baseline.
import { print } from 'graphql';
import WebSocket from 'ws';
import { SessionEventsDocument } from '../../client/src/gql/graphql.js';
import { serveIpc } from '../lib/ipc.js';
import { summarize } from '../lib/stats.js';
import type { KickResult, KickSpec, OpenSpec } from '../lib/ws-client.js';

/** What the web app subscribes to (client/src/operations.ts), so that each event costs what it costs a browser tab. */
export const SUBSCRIPTION = print(SessionEventsDocument);

interface Sock {
  ws: WebSocket;
  /** The session id that this socket's own REVOKED event names. */
  ownId: string;
  ownEventAt: number;
  closedAt: number;
  closeCode: number;
  /** `next` frames received since the last kick was armed. */
  nexts: number;
  /** Of those, events about another session of the same kick: >0 means a batch fans out to its own sockets. */
  foreign: number;
}

let sockets: Sock[] = [];

/** The kick being measured: which sockets it must reach, and how many have been reached so far. */
interface Tracker {
  expected: Set<Sock>;
  ids: Set<string>;
  events: number;
  closes: number;
  check(): void;
}
let tracker: Tracker | null = null;

function openOne(url: string, token: string, ownId: string, subscribe: boolean, timeoutMs: number): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    const sock: Sock = { ws, ownId, ownEventAt: 0, closedAt: 0, closeCode: 0, nexts: 0, foreign: 0 };
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no connection_ack in time'));
    }, timeoutMs);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; payload?: { data?: { sessionEvents?: { type: string; session: { id: string } } } } };
      if (frame.type === 'connection_ack') {
        clearTimeout(timer);
        if (subscribe) ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        resolve(sock);
      } else if (frame.type === 'next') {
        sock.nexts++;
        const event = frame.payload?.data?.sessionEvents;
        if (event && event.session.id !== sock.ownId && tracker?.ids.has(event.session.id)) sock.foreign++;
        if (event?.type === 'REVOKED' && event.session.id === sock.ownId && sock.ownEventAt === 0) {
          sock.ownEventAt = performance.now();
          if (tracker?.expected.has(sock)) {
            tracker.events++;
            tracker.check();
          }
        }
      } else if (frame.type === 'ping') {
        ws.send('{"type":"pong"}');
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      sock.closedAt = performance.now();
      sock.closeCode = code;
      reject(new Error(`closed (${code}) before connection_ack`));
      if (tracker?.expected.has(sock)) {
        tracker.closes++;
        tracker.check();
      }
    });
  });
}

async function open(spec: OpenSpec): Promise<{ opened: number; failed: number; ms: number; firstError?: string }> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const opened: Sock[] = [];
  // A bounded window of handshakes in flight, like many tabs opening at once but not all at once.
  const worker = async () => {
    while (next < spec.entries.length) {
      const entry = spec.entries[next++];
      if (!entry) break;
      try {
        opened.push(await openOne(spec.url, entry.token, entry.ownId, spec.subscribe, spec.timeoutMs));
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.entries.length) }, worker));
  sockets.push(...opened);
  return { opened: opened.length, failed, ms: performance.now() - started, firstError };
}

async function kick(spec: KickSpec): Promise<KickResult> {
  const byOwnId = new Map(sockets.map((s) => [s.ownId, s]));
  const expected = new Set(spec.expectIds.map((id) => byOwnId.get(id)).filter((s): s is Sock => s !== undefined));
  if (expected.size !== spec.expectIds.length) throw new Error(`${spec.expectIds.length - expected.size} expected sockets are not open`);
  for (const s of sockets) {
    s.nexts = 0;
    s.foreign = 0;
  }
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), spec.timeoutMs);
    tracker = {
      expected,
      ids: new Set(spec.expectIds),
      events: 0,
      closes: 0,
      check() {
        if (this.events >= expected.size && this.closes >= expected.size) resolve(true);
      },
    };
  });
  const requestedAt = performance.now();
  const res = await fetch(spec.url, { method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, body: spec.body });
  const text = await res.text();
  const respondedAt = performance.now();
  if (!res.ok || text.includes('"errors"')) throw new Error(`trigger failed (${res.status}): ${text.slice(0, 300)}`);
  tracker?.check();
  const complete = await reached;
  clearTimeout(timer);
  tracker = null;

  const eventFromResponse: number[] = [];
  const closeFromResponse: number[] = [];
  const eventFromRequest: number[] = [];
  const closeFromRequest: number[] = [];
  let missingEvents = 0;
  let missingCloses = 0;
  let wrongCloseCodes = 0;
  let maxNextsPerKicked = 0;
  let maxForeignPerKicked = 0;
  for (const s of expected) {
    if (s.ownEventAt) {
      eventFromResponse.push(s.ownEventAt - respondedAt);
      eventFromRequest.push(s.ownEventAt - requestedAt);
    } else missingEvents++;
    if (s.closedAt) {
      closeFromResponse.push(s.closedAt - respondedAt);
      closeFromRequest.push(s.closedAt - requestedAt);
    } else missingCloses++;
    if (s.closedAt && s.closeCode !== 4403) wrongCloseCodes++;
    maxNextsPerKicked = Math.max(maxNextsPerKicked, s.nexts);
    maxForeignPerKicked = Math.max(maxForeignPerKicked, s.foreign);
  }
  let nextsToOthers = 0;
  for (const s of sockets) if (!expected.has(s)) nextsToOthers += s.nexts;
  // Kicked sockets are gone: keep only the open ones for the next kick.
  sockets = sockets.filter((s) => !expected.has(s));
  return {
    complete,
    kicked: expected.size,
    responseMs: respondedAt - requestedAt,
    event: summarize(eventFromResponse),
    close: summarize(closeFromResponse),
    eventFromRequest: summarize(eventFromRequest),
    closeFromRequest: summarize(closeFromRequest),
    missingEvents,
    missingCloses,
    wrongCloseCodes,
    maxNextsPerKicked,
    maxForeignPerKicked,
    nextsToOthers,
  };
}

/** Closes every socket still open (the client side hangs up), and waits for the closes. */
async function closeAll(): Promise<number> {
  const open = sockets.filter((s) => s.closedAt === 0);
  await Promise.all(
    open.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.ws.readyState === WebSocket.CLOSED) return resolve();
          s.ws.once('close', () => resolve());
          s.ws.terminate();
        }),
    ),
  );
  sockets = [];
  return open.length;
}

serveIpc(
  {
    open: (spec: OpenSpec) => open(spec),
    kick: (spec: KickSpec) => kick(spec),
    closeAll: () => closeAll(),
    count: () => sockets.filter((s) => s.closedAt === 0).length,
  },
  { pid: process.pid },
);
