// The one-write rule (docs/ARCHITECTURE.md "Sockets"): a kicked socket's REVOKED event, its
// `complete` and the 4403 close leave in ONE write to the network, with the web app's own
// subscription document. Every resolver of that document, the event executor, EventStream's
// flush, the protocol's delivery and Connection.kick must answer without a promise for that; a
// field that awaits (a query, a lazy look-up) splits the frames, and this file fails.
import { Socket } from 'node:net';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionEventsDocument } from '../client/src/gql/graphql.js';
import { graphql } from './gql/index.js';
import { createOrganization, ok, signIn, signUp } from './helpers/graphql.js';
import type { TestUser } from './helpers/graphql.js';
import { serverForFile } from './helpers/per-file.js';
import type { LiveSocket } from './helpers/ws.js';
import { openLive, untilStreams } from './helpers/ws.js';

const file = serverForFile();
const stats = () => file.server.app.registry.stats();
const REVOKE = graphql(`mutation Revoke($id: ID!) { revokeSession(id: $id) { id } }`);
const WEB_APP_EVENTS = print(SessionEventsDocument);

// Every write of the server's end of a watched connection (keyed by the client's port), as
// net.Socket hands it to the kernel: `_write` for one chunk, `_writev` for a corked batch.
type Done = (err?: Error | null) => void;
interface SocketWrites {
  _write(this: Socket, chunk: Buffer | string, encoding: BufferEncoding, done: Done): void;
  _writev(this: Socket, chunks: { chunk: Buffer | string }[], done: Done): void;
}
const proto = Socket.prototype as unknown as SocketWrites;
const original = { _write: proto._write, _writev: proto._writev };
const watched = new Map<number, Buffer[]>();
let serverPort = 0;

function record(socket: Socket, chunks: (Buffer | string)[]): void {
  if (socket.localPort !== serverPort) return;
  watched.get(socket.remotePort ?? -1)?.push(Buffer.concat(chunks.map((c) => Buffer.from(c))));
}

beforeAll(() => {
  serverPort = Number(new URL(file.server.url).port);
  proto._write = function (chunk, encoding, done) {
    record(this, [chunk]);
    return original._write.call(this, chunk, encoding, done);
  };
  proto._writev = function (chunks, done) {
    record(this, chunks.map((c) => c.chunk));
    return original._writev.call(this, chunks, done);
  };
});
afterAll(() => Object.assign(proto, original));

/** The server's writes to this client from now on. */
function watch(socket: LiveSocket): Buffer[] {
  const port = (socket.ws as unknown as { _socket: Socket })._socket.localPort ?? -1;
  const writes: Buffer[] = [];
  watched.set(port, writes);
  return writes;
}

interface WireFrame {
  opcode: number;
  payload: Buffer;
}

/** Server frames (unmasked) in a run of bytes. */
function framesIn(bytes: Buffer): WireFrame[] {
  const frames: WireFrame[] = [];
  let at = 0;
  while (at < bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    at += 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    frames.push({ opcode, payload: bytes.subarray(at, at + length) });
    at += length;
  }
  return frames;
}

/** What a write carried: text frames as their message type (and event), the close as its code. */
function describeFrames(bytes: Buffer): string[] {
  return framesIn(bytes).map(({ opcode, payload }) => {
    if (opcode === 8) return `close ${payload.readUInt16BE(0)}`;
    const message = JSON.parse(payload.toString()) as { id: string; type: string; payload?: { data?: { sessionEvents?: { type: string } } } };
    const event = message.payload?.data?.sessionEvents?.type;
    return `${message.type} ${message.id}${event ? ` ${event}` : ''}`;
  });
}

async function subscribed(user: TestUser, ...documents: string[]): Promise<LiveSocket> {
  const before = stats().streams;
  const socket = await openLive(file.server.wsUrl, { token: user.token });
  documents.forEach((query, i) => socket.subscribe(String(i + 1), query));
  await untilStreams(stats, before + documents.length);
  return socket;
}

describe('a kicked socket\'s frames leave in one write', () => {
  it('with the web app\'s subscription: REVOKED, complete and the 4403 close in a single write', async () => {
    const u = await signUp(file.server);
    const phone = await signIn(file.server, u);
    const socket = await subscribed(phone, WEB_APP_EVENTS);
    const writes = watch(socket);
    await ok(file.server, REVOKE, { id: phone.sessionId }, u.auth);
    expect((await socket.closed).code).toBe(4403);
    expect(writes.map(describeFrames)).toEqual([['next 1 REVOKED', 'complete 1', 'close 4403']]);
  });

  it('a batch revocation: every kicked socket, with two subscriptions each, gets one write', async () => {
    const u = await signUp(file.server);
    const orgB = await createOrganization(file.server, u);
    const others = [await signIn(file.server, u), await signIn(file.server, u, orgB)];
    const sockets: LiveSocket[] = [];
    for (const o of others) sockets.push(await subscribed(o, WEB_APP_EVENTS, 'subscription { sessionEvents { type session { id isCurrent role } } }'));
    const writes = sockets.map(watch);
    await ok(file.server, graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`), {}, u.auth);
    for (const socket of sockets) expect((await socket.closed).code).toBe(4403);
    for (const w of writes) expect(w.map(describeFrames)).toEqual([['next 1 REVOKED', 'complete 1', 'next 2 REVOKED', 'complete 2', 'close 4403']]);
  });

  it('the count sees a split: a field that needs a query sends its event, complete and close later, apart', async () => {
    const u = await signUp(file.server);
    const phone = await signIn(file.server, u);
    const socket = await subscribed(phone, 'subscription { sessionEvents { type session { id organization { members { role } } } } }');
    const writes = watch(socket);
    await ok(file.server, REVOKE, { id: phone.sessionId }, u.auth);
    expect((await socket.closed).code).toBe(4403);
    expect(writes.flatMap(describeFrames)).toEqual(['next 1 REVOKED', 'complete 1', 'close 4403']);
    expect(writes.length).toBeGreaterThan(1);
  });
});
